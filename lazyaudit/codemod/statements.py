"""Find, in a libcst module, the top-level import statements a plan moves."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from .nodes import IMPORT_NODES, RewriteError, bound_names
from .plan import Move
from .positions import SourceLines


class MoveTransformer(cst.CSTTransformer):
    """A rewrite of one file by a list of moves; `done` says what it did to each.

    It visits only the module's own statements: what a move changes never lies
    inside them (a subclass that needs functions visits deeper)."""

    def __init__(self, moves: list[Move], lines: SourceLines):
        super().__init__()
        self.moves = moves
        self.lines = lines
        self.done: list[tuple[Move, str]] = []   # (move, "pd into f()"), for the summary

    def on_visit(self, node: cst.CSTNode) -> bool:
        return isinstance(node, cst.Module)


@dataclass(slots=True)
class Found:
    node: cst.Import | cst.ImportFrom
    move: Move
    line: cst.SimpleStatementLine     # the whole line the statement is on

    @property
    def comment(self) -> cst.Comment | None:
        """The line's trailing comment, e.g. `# noqa`."""
        return self.line.trailing_whitespace.comment

    @property
    def alone(self) -> bool:
        """The statement is all of its line, and all of it moves."""
        return len(self.line.body) == 1 and self.move.whole_statement


def find_statements(module: cst.Module, moves: list[Move],
                    lines: SourceLines) -> dict[tuple[int, int], Found]:
    """{(index in module.body, index on its line): Found} for every move.

    Statements are matched by line and by the names they bind (two imports may
    share a line, joined by `;`).
    """
    top_level = lines.top_level(module)
    by_line: dict[int, list[Move]] = {}
    for move in moves:
        by_line.setdefault(move.statement.line, []).append(move)
    found: dict[tuple[int, int], Found] = {}
    for index, statement in enumerate(module.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small_index, small in enumerate(statement.body):
            if not isinstance(small, IMPORT_NODES):
                continue
            line = top_level[(index, small_index)]
            names = set(bound_names(small))
            for move in by_line.get(line, ()):
                if {binding.name for binding in move.bindings} <= names and not any(
                        f.move is move for f in found.values()):
                    found[(index, small_index)] = Found(small, move, statement)
                    break
    lost = [move for move in moves if not any(f.move is move for f in found.values())]
    if lost:
        raise RewriteError(f"import at line {lost[0].statement.line} not found at module level")
    return found
