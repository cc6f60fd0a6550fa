# expect: left alone: bound more than once
from heavypkg import compute
from star_rebinds import *  # noqa: F403  (rebinds compute)


def main():
    return compute(2)
