# expect: left alone: LA209
import heavypkg


class Holder:
    def __del__(self):
        heavypkg.REGISTRY.append("finalized")


def main():
    Holder()
    return heavypkg.REGISTRY[-1:]
