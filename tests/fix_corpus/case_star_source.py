# expect: left alone: (from case_star_source import *)
import heavypkg


def main():
    return heavypkg.compute(2)
