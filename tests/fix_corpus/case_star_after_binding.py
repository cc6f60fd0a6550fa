# expect: left alone: LA205 (from star_rebinds import *)
from heavypkg import compute
from star_rebinds import *  # noqa: F403  (rebinds compute)


def main():
    return compute(2)
