# expect: left alone: LA204
from heavypkg import compute


def main():
    return compute(6)
