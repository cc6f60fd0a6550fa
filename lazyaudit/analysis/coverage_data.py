"""Executed lines from a coverage.py data file, read with sqlite3 (no coverage needed).

coverage.py 5+ stores, per measured file, either line numbers packed as "numbits"
(table line_bits) or arcs (table arc) when branch coverage was on.
"""

from __future__ import annotations

import os
import sqlite3
from collections import defaultdict

from ..errors import LazyauditError


class CoverageError(LazyauditError):
    """A file that is not a readable coverage.py data file."""


def executed_lines(path: str) -> dict[str, set[int]]:
    """{absolute file path: executed line numbers}."""
    if not os.path.isfile(path):
        raise CoverageError(f"coverage data file {path} not found")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            files = dict(connection.execute("select id, path from file"))
            lines: dict[str, set[int]] = defaultdict(set)
            tables = {row[0] for row in connection.execute(
                "select name from sqlite_master where type = 'table'")}
            if "line_bits" in tables:
                for file_id, numbits in connection.execute(
                        "select file_id, numbits from line_bits"):
                    lines[files[file_id]].update(_numbits_to_lines(numbits))
            if "arc" in tables:
                for file_id, start, end in connection.execute(
                        "select file_id, fromno, tono from arc"):
                    lines[files[file_id]].update(n for n in (start, end) if n > 0)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise CoverageError(f"{path} is not a coverage.py data file ({error})") from None
    return {os.path.realpath(name): found for name, found in lines.items()}


def _numbits_to_lines(numbits: bytes) -> list[int]:
    return [index * 8 + bit for index, byte in enumerate(numbits)
            for bit in range(8) if byte & (1 << bit)]
