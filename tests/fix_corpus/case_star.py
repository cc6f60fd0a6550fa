# expect: left alone: LA102
from heavypkg import *  # noqa: F403


def main():
    return compute(1)  # noqa: F405
