# expect: left alone: re-exported in __all__
from heavypkg import compute

__all__ = ["compute", "main"]


def main():
    return compute(3)
