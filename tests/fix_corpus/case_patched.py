# expect: left alone: used from outside the module
import heavypkg


def main():
    return heavypkg.compute(8)
