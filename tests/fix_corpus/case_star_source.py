# expect: left alone: LA204
import heavypkg


def main():
    return heavypkg.compute(2)
