"""A module with a docstring and comments around the import."""
# expect: moved

import os

# heavypkg is needed only by main()
import heavypkg

# a comment about PATH_SEP
PATH_SEP = os.sep


def main():
    """Compute something."""
    # the first statement has a comment of its own
    return heavypkg.compute(1), PATH_SEP
