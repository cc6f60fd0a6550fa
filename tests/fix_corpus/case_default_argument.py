# expect: left alone: LA206 (default argument)
import heavypkg


def scaled(value, factor=heavypkg.DEFAULT):
    return value * factor


def main():
    return scaled(2)
