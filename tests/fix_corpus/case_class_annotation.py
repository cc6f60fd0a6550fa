# expect: left alone: LA206 (annotation evaluated at runtime)
from __future__ import annotations

import typing

from heavypkg import Base


class Record:
    item: Base


def main():
    return typing.get_type_hints(Record)["item"].__name__
