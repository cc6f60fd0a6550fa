"""A submodule, for imports of two submodules of one package."""


def triple(value):
    return value * 3
