# expect: moved
import heavypkg  # the heavy one


def main(): return heavypkg.compute(7)
