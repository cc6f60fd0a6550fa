# expect: left alone: LA202
from heavypkg import compute

__all__ = ["compute", "main"]


def main():
    return compute(3)
