# expect: moved
from heavypkg import compute


class Report:
    def total(self, value):
        return compute(value)


def main():
    return Report().total(5)
