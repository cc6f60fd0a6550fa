# expect: left alone: LA208
import heavypkg

triple = lambda value: heavypkg.compute(value)  # noqa: E731


def main():
    return triple(2)
