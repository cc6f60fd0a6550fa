# expect: left alone: used at import time: module level
from __future__ import annotations

import heavypkg

if heavypkg.TYPE_CHECKING:
    from heavypkg import Base  # noqa: F401


def main():
    return heavypkg.compute(1)
