# expect: left alone: LA203
from heavypkg import compute


def main():
    return compute(2)
