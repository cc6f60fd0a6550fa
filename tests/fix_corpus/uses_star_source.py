from case_star_source import *  # noqa: F403


def twice():
    return heavypkg.compute(2) * 2  # noqa: F405
