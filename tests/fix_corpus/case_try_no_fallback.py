# expect: left alone: LA108
try:
    import heavypkg
except ImportError:
    print("heavypkg is missing")


def main():
    return heavypkg.compute(2)
