# expect: moved
import os, heavypkg

CWD_IS_ABSOLUTE = os.path.isabs(os.getcwd())


def main():
    return heavypkg.compute(2), CWD_IS_ABSOLUTE
