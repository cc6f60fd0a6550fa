# expect: left alone: LA206 (module level)
import heavypkg

START = heavypkg.compute(1)


def main():
    return START
