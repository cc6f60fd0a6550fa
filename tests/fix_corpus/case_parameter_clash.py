# expect: moved
import heavypkg


def uses_a_parameter(heavypkg):
    return heavypkg * 2


def uses_the_module():
    return heavypkg.compute(1)


def main():
    return uses_a_parameter(21), uses_the_module()
