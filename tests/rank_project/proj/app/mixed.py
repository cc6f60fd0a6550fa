import mid                 # used only in a function: safe on its own
from mid import TABLE      # used at import time: keeps mid loaded

SIZE = len(TABLE)


def table():
    return mid.TABLE
