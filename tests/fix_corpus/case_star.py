# expect: left alone: star import
from heavypkg import *  # noqa: F403


def main():
    return compute(1)  # noqa: F405
