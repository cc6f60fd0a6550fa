# expect: left alone: conditional import
import sys

if sys.version_info >= (3, 9):
    import heavypkg


def main():
    return heavypkg.compute(3)
