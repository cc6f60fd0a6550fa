# expect: moved
import heavypkg.other
import heavypkg.sub


def main():
    return heavypkg.sub.double(3), heavypkg.other.triple(2)
