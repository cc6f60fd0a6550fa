# expect: left alone: bound more than once
from heavypkg import compute

compute = compute if compute(0) else None


def main():
    return compute(4)
