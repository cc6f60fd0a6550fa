"""Turn a plan into new file contents, in memory. Nothing is written here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from ..analysis.usage import parse_source, with_deep_stack
from . import STYLES
from .files import UnsafePath, real_path_inside
from .lazy import LazyKeyword, LazyModules
from .local import LocalImports
from .nodes import RewriteError
from .plan import Move, Plan
from .positions import SourceLines

TRANSFORMERS = dict(zip(STYLES, (LocalImports, LazyKeyword, LazyModules)))


@dataclass(slots=True)
class FileChange:
    path: Path
    relative: str
    before: bytes
    after: bytes
    done: list[tuple[Move, str]] = field(default_factory=list)   # (move, what was done)


def rewrite(plan: Plan, style: str) -> tuple[list[FileChange], list[str]]:
    """The changed files, and the files that could not be rewritten (with why)."""
    changes, problems = [], []
    for path, moves in sorted(plan.by_file().items()):
        relative = plan.relative(path)
        try:
            real_path_inside(path, plan.root)
            try:
                change = rewrite_file(path, relative, moves, style)
            except RecursionError:   # a very deep expression: libcst recurses per level
                try:
                    change = with_deep_stack(lambda: rewrite_file(path, relative, moves, style))
                except RecursionError:
                    raise RewriteError("too deeply nested for libcst") from None
        except (RewriteError, UnsafePath) as error:
            problems.append(f"{relative}: not rewritten: {error}")
            continue
        if change.after != change.before:
            changes.append(change)
    return changes, problems


def rewrite_file(path: Path, relative: str, moves: list[Move], style: str) -> FileChange:
    try:
        before = path.read_bytes()
    except OSError as error:
        raise RewriteError(f"cannot read ({error.strerror})") from None
    try:
        module = cst.parse_module(before)
    except cst.ParserSyntaxError as error:
        raise RewriteError(f"libcst cannot parse it ({error.message})") from None
    try:
        tree, _ = parse_source(module.code, str(path))
    except SyntaxError as error:
        raise RewriteError(f"cannot parse it ({error.msg}, line {error.lineno})") from None
    transformer = TRANSFORMERS[style](moves, SourceLines(tree))
    after_module = module.visit(transformer)
    after = after_module.bytes
    try:   # a rewrite that does not parse is a bug; never write it
        parse_source(after.decode(after_module.encoding), str(path))
    except SyntaxError as error:
        raise RewriteError(f"the rewrite would not parse ({error.msg}, line {error.lineno})") \
            from None
    return FileChange(path, relative, before, after, transformer.done)
