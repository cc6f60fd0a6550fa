# expect: moved
import heavypkg


def main():
    values = [3, 1, 2]
    return sorted(values, key=lambda v: -heavypkg.compute(v))
