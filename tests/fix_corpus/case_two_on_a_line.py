# expect: moved
import os; import heavypkg  # noqa: E702

SEPARATOR = os.sep


def main():
    return heavypkg.compute(5), SEPARATOR
