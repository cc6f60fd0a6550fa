# expect: left alone: used from outside the module
from heavypkg import compute


def main():
    return compute(6)
