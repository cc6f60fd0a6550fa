# expect: left alone: re-exported in __all__
from heavypkg import compute

__all__ = ["main"]
__all__.append("compute")


def main():
    return compute(3)
