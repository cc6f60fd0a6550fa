"""lazyaudit's own cache of what it read from files that rarely change (the import
statements of installed modules, the distributions of a site-packages folder): each
entry is keyed by what would change with the file, so a stale entry is never used."""

from __future__ import annotations

import marshal
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """$LAZYAUDIT_CACHE_DIR, else the user's cache (~/.cache/lazyaudit)."""
    if os.environ.get("LAZYAUDIT_CACHE_DIR"):
        return Path(os.environ["LAZYAUDIT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lazyaudit"


def read(name: str, directory: Path | None = None):
    """The value stored under `name`, or None (missing, unreadable, from another format)."""
    try:
        return marshal.loads(((directory or cache_dir()) / name).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write(name: str, value, directory: Path | None = None) -> None:
    """Store atomically; a cache that cannot be written is no error."""
    directory = directory or cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.")
        with os.fdopen(handle, "wb") as out:
            out.write(marshal.dumps(value))
        os.replace(temporary, directory / name)
    except OSError:
        pass
