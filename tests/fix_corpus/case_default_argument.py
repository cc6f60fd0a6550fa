# expect: left alone: used at import time: default argument
import heavypkg


def scaled(value, factor=heavypkg.DEFAULT):
    return value * factor


def main():
    return scaled(2)
