# expect: left alone: inside try/except
try:
    import heavypkg
except ImportError:
    heavypkg = None


def main():
    return heavypkg.compute(2)
