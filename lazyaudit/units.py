"""Sizes and times as people read them (MiB with one decimal, ms), and parsing sizes."""

from __future__ import annotations

import re

MIB = 1024 * 1024
UNITS = {"": 1, "b": 1, "kib": 1024, "mib": MIB, "gib": 1024 * MIB,
         "kb": 1000, "mb": 1000 ** 2, "gb": 1000 ** 3, "k": 1024, "m": MIB, "g": 1024 * MIB}
SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def mib(size_bytes: int | float) -> str:
    return f"{size_bytes / MIB:.1f}"


def ms(time_ns: int | float) -> str:
    return f"{time_ns / 1e6:.1f}"


def parse_size(text: str) -> int:
    """'512MiB', '1.5 GB', '300k' -> bytes. Raises ValueError with a readable message."""
    found = SIZE.match(str(text))
    unit = found.group(2).lower() if found else None
    if not found or unit not in UNITS:
        raise ValueError(f"not a size: {text!r} (use e.g. 200MiB, 1.5GiB, 300MB)")
    return int(float(found.group(1)) * UNITS[unit])
