# expect: left alone: LA107
try:
    import heavypkg
except ImportError:
    heavypkg = None


def main():
    return heavypkg.compute(2)
