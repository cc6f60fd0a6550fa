# expect: moved
def main():
    return heavypkg.compute(9)


import heavypkg  # noqa: E402
