# expect: left alone: LA206 (annotation evaluated at runtime)
from __future__ import annotations

import functools

from heavypkg import Base


@functools.singledispatch
def show(item):
    return "object"


@show.register
def _(item: Base):
    return "base"


def main():
    return show(Base()), show(1)
