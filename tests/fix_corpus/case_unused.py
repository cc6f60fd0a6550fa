# expect: left alone: LA207
import heavypkg  # noqa: F401


def main():
    import sys
    return "heavypkg" in sys.modules
