# expect: moved
from __future__ import annotations

from heavypkg import Base


def describe(item: Base) -> str:
    return "item"


def main():
    return describe(None), describe.__annotations__["item"]
