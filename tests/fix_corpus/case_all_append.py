# expect: left alone: LA202
from heavypkg import compute

__all__ = ["main"]
__all__.append("compute")


def main():
    return compute(3)
