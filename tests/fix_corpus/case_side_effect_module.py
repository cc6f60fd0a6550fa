# expect: left alone: LA201
import heavypkg.signals  # noqa: F401


def main():
    import heavypkg
    return heavypkg.REGISTRY
