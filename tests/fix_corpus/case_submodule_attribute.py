# expect: left alone: LA212 (reached as an attribute at import time)
import heavypkg
from heavypkg.sub import double   # also makes heavypkg.sub an attribute of heavypkg

QUADRUPLE = heavypkg.sub.double(2)


def main():
    return double(3), QUADRUPLE
