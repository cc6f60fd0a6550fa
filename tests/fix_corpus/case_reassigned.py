# expect: left alone: LA205
from heavypkg import compute

compute = compute if compute(0) else None


def main():
    return compute(4)
