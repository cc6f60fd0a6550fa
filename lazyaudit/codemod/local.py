"""The `local` style: move module-level imports into the functions that use them.

Each function that uses a moved name gets the import at the top of its body
(after the docstring), unless an enclosing function already imports it: the
nested one then sees it as a closure variable. Names used only in annotations
go under `if TYPE_CHECKING:`, so type checkers and editors still see them.
"""

from __future__ import annotations

from collections import defaultdict

import libcst as cst

from ..analysis.usage import ANNOTATION
from .nodes import (RewriteError, carry_leading_lines, import_code, is_docstring,
                    split_attached_comments, with_comment, without_names)
from .plan import Move
from .positions import SourceLines
from .statements import Found, MoveTransformer, find_statements

# Where a function may stand: the statements and the blocks that hold them.
HOLDS_FUNCTIONS = (cst.Module, cst.FunctionDef, cst.ClassDef, cst.BaseSuite, cst.If, cst.Else,
                   cst.For, cst.While, cst.With, cst.Try, cst.TryStar, cst.ExceptHandler,
                   cst.ExceptStarHandler, cst.Finally, cst.Match, cst.MatchCase)


class LocalImports(MoveTransformer):
    def __init__(self, moves: list[Move], lines: SourceLines):
        super().__init__(moves, lines)
        self.wanted: dict[int, list[tuple[Move, str]]] = defaultdict(list)   # def line -> names
        for move in moves:
            for binding in move.bindings:
                for line in sorted({use.def_line for use in binding.deferred_uses}):
                    self.wanted[line].append((move, binding.name))
        self.stack: list[set[tuple[int, str]]] = [set()]   # names each enclosing def imports
        self.granted: list[tuple[str, list[tuple[Move, str]]]] = []   # per def being visited
        self.scope: list[str] = []                # enclosing classes and functions, by name
        self.functions_seen = 0                   # matched with lines.defs, in source order
        self.visited: set[int] = set()
        self.found: dict[tuple[int, int], Found] = {}
        self.commented: set[int] = set()          # moves whose comments went along
        self.extended: dict[int, cst.BaseStatement] = {}   # a `from typing import` grown

    # -- functions get the imports --------------------------------------------

    def on_visit(self, node: cst.CSTNode) -> bool:
        """Down to every function, never into expressions or simple statements."""
        return isinstance(node, HOLDS_FUNCTIONS) and super(MoveTransformer, self).on_visit(node)

    def visit_Module(self, node: cst.Module) -> None:
        self.found = find_statements(node, self.moves, self.lines)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.append(node.name.value)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef):
        self.scope.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.functions_seen >= len(self.lines.defs):
            raise RewriteError("libcst and ast disagree on the file's functions")
        line = self.lines.defs[self.functions_seen]
        self.functions_seen += 1
        self.visited.add(line)
        outer = self.stack[-1]
        here = [(move, name) for move, name in self.wanted.get(line, ())
                if (id(move), name) not in outer]
        self.stack.append(outer | {(id(move), name) for move, name in here})
        self.scope.append(node.name.value)
        self.granted.append((".".join(self.scope), here))   # CreateHelper.__init__

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):
        self.stack.pop()
        self.scope.pop()
        function, granted = self.granted.pop()
        if not granted:
            return updated
        by_move: dict[int, tuple[Move, list[str]]] = {}
        for move, name in granted:
            by_move.setdefault(id(move), (move, []))[1].append(name)
        imports = []
        for move, names in sorted(by_move.values(), key=lambda item: item[0].statement.line):
            found = self._found(move)
            statement = cst.parse_statement(import_code(found.node, names))
            if found.alone:   # its comments go along, to the first function that gets it
                statement = with_comment(statement, found.comment)
                if id(move) not in self.commented:
                    self.commented.add(id(move))
                    statement = statement.with_changes(
                        leading_lines=split_attached_comments(found.line.leading_lines)[1])
            imports.append(statement)
            self.done.append((move, f"{', '.join(names)} into {function}()"))
        return updated.with_changes(body=_prepend(updated.body, imports))

    def _found(self, move: Move) -> Found:
        return next(found for found in self.found.values() if found.move is move)

    # -- the module loses them -------------------------------------------------

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        if self.functions_seen != len(self.lines.defs):
            raise RewriteError("libcst and ast disagree on the file's functions")
        missing = set(self.wanted) - self.visited
        if missing:
            raise RewriteError(f"no function found at line {min(missing)}")
        body: list[cst.BaseStatement] = []
        removed: cst.BaseStatement | None = None
        module = updated
        guarded = self._type_checking_block(updated)
        for index, statement in enumerate(updated.body):
            statement = self.extended.get(index, statement)
            if removed is not None:
                statement, module = carry_leading_lines(removed, statement, module)
                removed = None
            moved = {small: found.move for (i, small), found in self.found.items()
                     if i == index}
            if not moved:
                body.append(statement)
                continue
            kept = _without_moved(statement, moved)
            block = guarded.pop(index, [])
            if kept is not None:
                body += [kept, *block]
            elif block:
                body += [block[0].with_changes(leading_lines=statement.leading_lines), *block[1:]]
            else:
                removed = self._without_comments_that_went_along(statement, index)
        if removed is not None:
            _, module = carry_leading_lines(removed, None, module)
        return module.with_changes(body=body)

    def _without_comments_that_went_along(self, statement, index: int):
        moved = [found.move for (i, _), found in self.found.items() if i == index]
        if not any(id(move) in self.commented for move in moved):
            return statement
        rest, _ = split_attached_comments(statement.leading_lines)
        return statement.with_changes(leading_lines=rest)

    def _type_checking_block(self, module: cst.Module) -> dict[int, list[cst.BaseStatement]]:
        """`if TYPE_CHECKING:` imports for names used in annotations, placed where the
        first such import was."""
        entries = []
        for (index, _), found in sorted(self.found.items(), key=lambda item: item[0]):
            names = [b.name for b in found.move.bindings
                     if any(use.kind == ANNOTATION for use in b.uses)]
            if names:
                entries.append((index, found.node, found.move, names))
        if not entries:
            return {}
        first_index, _, first_move, _ = entries[0]
        guard = _type_checking_name(first_move)
        lines = "".join(f"    {import_code(node, names)}\n" for _, node, _, names in entries)
        block = [cst.parse_statement(f"if {guard}:\n{lines}")]
        if guard == "TYPE_CHECKING" and not _has_type_checking(first_move):
            moving = {i for i, _ in self.found}
            typing_at = _typing_import(module, first_index, moving)
            if typing_at is None:
                block.insert(0, cst.parse_statement("from typing import TYPE_CHECKING"))
            else:   # `from typing import cast` becomes `from typing import cast, TYPE_CHECKING`
                self.extended[typing_at] = _with_type_checking(module.body[typing_at])
        for _, _, move, names in entries:
            self.done.append((move, f"{', '.join(names)} under `if TYPE_CHECKING:`"))
        return {first_index: block}


def _prepend(body: cst.BaseSuite, imports: list[cst.SimpleStatementLine]) -> cst.BaseSuite:
    """Put `imports` first in a function body, after its docstring."""
    if isinstance(body, cst.SimpleStatementSuite):   # def f(): return x
        line = cst.SimpleStatementLine(body=body.body,
                                       trailing_whitespace=body.trailing_whitespace)
        return cst.IndentedBlock(body=[*imports, line])
    statements = list(body.body)
    at = 1 if statements and is_docstring(statements[0]) else 0
    return body.with_changes(body=[*statements[:at], *imports, *statements[at:]])


def _without_moved(statement: cst.SimpleStatementLine, moved: dict[int, Move]):
    """The statement line without the moved names, or None when nothing is left."""
    kept = []
    for index, small in enumerate(statement.body):
        move = moved.get(index)
        if move is None:
            kept.append(small)
            continue
        names = [binding.name for binding in move.bindings]
        rest = without_names(small, names)
        if rest is not None:
            kept.append(rest)
    if not kept:
        return None
    kept[-1] = kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
    return statement.with_changes(body=kept)


def _typing_import(module: cst.Module, before: int, moving: set[int]) -> int | None:
    """Where a module-level `from typing import a, b` stands before statement `before`."""
    found = None
    for index, statement in enumerate(module.body[:before]):
        if (index not in moving and isinstance(statement, cst.SimpleStatementLine)
                and len(statement.body) == 1 and isinstance(statement.body[0], cst.ImportFrom)
                and not statement.body[0].relative
                and isinstance(statement.body[0].module, cst.Name)
                and statement.body[0].module.value == "typing"
                and not isinstance(statement.body[0].names, cst.ImportStar)):
            found = index
    return found


def _with_type_checking(statement: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    """The import with TYPE_CHECKING added before its last name, spaced like the names
    before it, so that a trailing comma and the comments stay where they are."""
    node = statement.body[0]
    names = list(node.names)
    new = cst.ImportAlias(name=cst.Name("TYPE_CHECKING"))
    if len(names) > 1:
        names.insert(-1, new.with_changes(comma=names[-2].comma))
    else:
        new = new.with_changes(comma=names[0].comma)
        names = [names[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                 new]
    return statement.with_changes(body=[node.with_changes(names=names)])


def _type_checking_name(move: Move) -> str:
    for statement in move.usage.statements:
        if statement.function or statement.block or statement.line > move.statement.line:
            continue
        for binding in statement.bindings:
            if binding.module == "typing" and binding.attribute is None:
                return f"{binding.name}.TYPE_CHECKING"
    return "TYPE_CHECKING"


def _has_type_checking(move: Move) -> bool:
    return any(binding.module == "typing" and binding.attribute == "TYPE_CHECKING"
               and binding.name == "TYPE_CHECKING"
               for statement in move.usage.statements
               if not statement.function and not statement.block
               and statement.line <= move.statement.line
               for binding in statement.bindings)

