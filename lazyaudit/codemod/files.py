"""Writing user files: atomically, only inside the project root, restorable."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import LazyauditError


TEMPORARY_SUFFIX = ".lazyaudit"   # `.views.py.x8k2.lazyaudit` while views.py is written


class UnsafePath(LazyauditError):
    """A path `fix` must not write to."""


def real_path_inside(path: Path, root: Path) -> Path:
    """The file a write to `path` would change, if it is inside `root`.

    Symlinks are followed first, so a link that leaves the project is refused and
    a link inside it is written through (the link itself stays a link).
    """
    real, real_root = path.resolve(), root.resolve()
    if real != real_root and real_root not in real.parents:
        how = " (through a symlink)" if real != path.absolute() else ""
        raise UnsafePath(f"{path} is outside the project root {root}{how}")
    return real


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file's contents all at once: a crash leaves the old or the new file,
    never half of one. Permissions are kept."""
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=TEMPORARY_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_all(files: list[tuple[Path, bytes]], root: Path) -> list[tuple[Path, bytes]]:
    """Write each (path, data) inside root; returns (real path, previous bytes) of what
    was written, for restore(). Every path is checked before anything is written."""
    targets = [(real_path_inside(path, root), data) for path, data in files]
    written = []
    try:
        for real, data in targets:
            previous = real.read_bytes()
            write_atomic(real, data)
            written.append((real, previous))
    except BaseException:
        restore(written)
        raise
    return written


def restore(written: list[tuple[Path, bytes]]) -> None:
    for real, previous in reversed(written):
        write_atomic(real, previous)


def leftovers(root: Path) -> list[Path]:
    """Temporary files a killed `fix` left behind (a write is a temporary file renamed
    over the original, so the original itself is always whole)."""
    from ..analysis.sources import SKIP_DIRS, is_virtualenv

    found = []
    for directory, subdirs, files in os.walk(root):
        here = Path(directory)
        subdirs[:] = [name for name in subdirs
                      if name not in SKIP_DIRS and not is_virtualenv(here / name)]
        found += [here / name for name in files
                  if name.startswith(".") and name.endswith(TEMPORARY_SUFFIX)]
    return sorted(found)
