# expect: left alone: LA205
import heavypkg


def reset():
    global heavypkg
    heavypkg = None


def main():
    return heavypkg.compute(5)
