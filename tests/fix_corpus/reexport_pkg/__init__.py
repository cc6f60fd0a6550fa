# expect: left alone: re-exported by the package's __init__.py
from heavypkg import compute


def main():
    return compute(2)
