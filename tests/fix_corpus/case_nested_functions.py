# expect: moved
import heavypkg


def outer(value):
    def inner():
        return heavypkg.compute(value)

    return inner() + heavypkg.DEFAULT


def only_inner():
    def helper(x):
        return heavypkg.compute(x)

    return helper(1)


def main():
    return outer(2), only_inner()
