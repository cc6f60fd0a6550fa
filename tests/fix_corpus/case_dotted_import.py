# expect: moved
import heavypkg.sub


def main():
    return heavypkg.sub.double(4), heavypkg.compute(1)
