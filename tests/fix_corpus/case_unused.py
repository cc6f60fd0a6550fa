# expect: left alone: imported for its side effects (heavypkg is never used)
import heavypkg  # noqa: F401


def main():
    import sys
    return "heavypkg" in sys.modules
