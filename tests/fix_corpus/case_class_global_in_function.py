# expect: left alone: LA210 (read as a module global by a class body)
import heavypkg


def make():
    class Holder:
        heavypkg = heavypkg     # a class body reads the module's global, not make()'s locals

    return Holder


def other():
    return heavypkg.compute(1)


def main():
    return make().heavypkg.compute(3), other()
