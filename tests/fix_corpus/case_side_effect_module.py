# expect: left alone: imported for its side effects
import heavypkg.signals  # noqa: F401


def main():
    import heavypkg
    return heavypkg.REGISTRY
