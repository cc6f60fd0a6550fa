# expect: moved, still loaded
from heavypkg import DEFAULT, compute

LIMIT = DEFAULT * 2


def main():
    return compute(LIMIT)
