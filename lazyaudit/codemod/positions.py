"""Line numbers for the libcst nodes a rewrite looks for, taken from the file's `ast`.

libcst's PositionProvider computes a position for every node with a full code
generation pass (and its MetadataWrapper copies the whole tree first): most of the
time `fix` spent on a large file. A rewrite needs the lines of two kinds of node
only, and both can be matched with the `ast` of the same source by order:

- the top-level statements: a libcst line of simple statements holds as many
  `ast` statements as it has parts (`import a; import b`), any other statement is
  one `ast` statement;
- the functions: libcst visits them in source order, and a walk through the
  statement bodies of the `ast` meets them in the same order.
"""

from __future__ import annotations

import ast

import libcst as cst

from .nodes import RewriteError

BODIES = ("body", "orelse", "handlers", "finalbody", "cases")


class SourceLines:
    def __init__(self, tree: ast.Module):
        self.tree = tree
        self.defs = list(_def_lines(tree.body))    # each `def`'s line, in source order

    def top_level(self, module: cst.Module) -> dict[tuple[int, int], int]:
        """{(index in module.body, index on its line): line} of every top-level statement."""
        statements = iter(self.tree.body)
        lines = {}
        for index, statement in enumerate(module.body):
            parts = statement.body if isinstance(statement, cst.SimpleStatementLine) else [None]
            for part, _ in enumerate(parts):
                node = next(statements, None)
                if node is None:
                    raise RewriteError("libcst and ast disagree on the file's statements")
                lines[(index, part)] = node.lineno
        if next(statements, None) is not None:
            raise RewriteError("libcst and ast disagree on the file's statements")
        return lines


def _def_lines(statements: list[ast.stmt]):
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield statement.lineno
        for field in BODIES:
            for child in getattr(statement, field, ()):
                if isinstance(child, (ast.excepthandler, ast.match_case)):
                    yield from _def_lines(child.body)
                else:
                    yield from _def_lines([child])
