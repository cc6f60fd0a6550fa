from case_imported_elsewhere import compute

FIRST = compute(0)


def main():
    return FIRST
