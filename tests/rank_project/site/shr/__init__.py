"""Mostly shared memory: a file mapped and read, little private memory."""

import mmap
import os
import tempfile

_file = tempfile.TemporaryFile()
_file.write(b"\1" * (16 * 2**20))
_file.flush()
DATA = mmap.mmap(_file.fileno(), 0, access=mmap.ACCESS_READ)
TOTAL = sum(DATA[i] for i in range(0, len(DATA), 4096))
