"""A script target: its own imports are the project's."""

import prv


def main():
    return len(prv.BLOB)


print(main())
