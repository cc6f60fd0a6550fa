# expect: left alone: LA206 (annotation evaluated at runtime)
import heavypkg


def describe(item: heavypkg.Base) -> str:
    return item.describe()


def main():
    return describe(heavypkg.Base()), describe.__annotations__["item"].__name__
