# expect: left alone: used at import time: module level
import heavypkg

START = heavypkg.compute(1)


def main():
    return START
