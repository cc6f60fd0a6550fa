# expect: left alone: LA109
import sys

if sys.version_info >= (3, 9):
    import heavypkg


def main():
    return heavypkg.compute(3)
