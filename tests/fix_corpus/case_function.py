# expect: moved
import heavypkg


def main():
    return heavypkg.compute(4)
