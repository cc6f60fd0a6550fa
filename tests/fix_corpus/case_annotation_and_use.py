# expect: moved
from __future__ import annotations

import heavypkg


def make() -> heavypkg.Base:
    return heavypkg.Base()


def main():
    return make().describe()
