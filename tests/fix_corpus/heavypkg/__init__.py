"""Stands in for a heavy third-party package."""

DEFAULT = 10
REGISTRY = []


def compute(value):
    return value * 3 + 1


def register(function):
    REGISTRY.append(function.__name__)
    return function


class Base:
    kind = "base"

    def describe(self):
        return f"{type(self).__name__}:{self.kind}"

TYPE_CHECKING = False
