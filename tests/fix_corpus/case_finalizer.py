# expect: left alone: used in __del__
import heavypkg


class Holder:
    def __del__(self):
        heavypkg.REGISTRY.append("finalized")


def main():
    Holder()
    return heavypkg.REGISTRY[-1:]
