# expect: left alone: LA206 (module level)
from __future__ import annotations

import heavypkg

if heavypkg.TYPE_CHECKING:
    from heavypkg import Base  # noqa: F401


def main():
    return heavypkg.compute(1)
