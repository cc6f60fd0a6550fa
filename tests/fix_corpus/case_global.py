# expect: left alone: bound more than once
import heavypkg


def reset():
    global heavypkg
    heavypkg = None


def main():
    return heavypkg.compute(5)
