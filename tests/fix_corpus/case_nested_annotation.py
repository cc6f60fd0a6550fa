# expect: moved
import dataclasses

import heavypkg


def make():
    @dataclasses.dataclass
    class Price:
        base: heavypkg.Base

    def helper(item: heavypkg.Base) -> int:
        return 1

    return Price(heavypkg.Base()).base.describe(), helper.__annotations__["item"].__name__


def main():
    return make()
