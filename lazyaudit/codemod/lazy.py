"""The PEP 810 styles (Python 3.15+): `lazy import`, and `__lazy_modules__`.

`lazy` marks each statement itself; it is legal only at module level, outside
any `try`, which the plan guarantees (only such statements are moved).
`__lazy_modules__` names the modules whose imports in this file are lazy. It must
be bound before the first import it names, and Pythons before 3.15 ignore it,
so it is harmless there.
"""

from __future__ import annotations

import libcst as cst

from .nodes import RewriteError, code, is_docstring
from .plan import lazy_module_names
from .statements import MoveTransformer, find_statements

LAZY_MODULES = "__lazy_modules__"


class LazyKeyword(MoveTransformer):
    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        found = find_statements(original, self.moves, self.lines)
        body = list(updated.body)
        for (index, small_index), entry in found.items():
            line = body[index]
            smalls = list(line.body)
            smalls[small_index] = _lazy(smalls[small_index])
            body[index] = line.with_changes(body=smalls)
            self.done.append((entry.move, "made lazy"))
        return updated.with_changes(body=body)


def _lazy(node: cst.Import | cst.ImportFrom):
    if isinstance(node, cst.Import):
        return cst.LazyImport(names=node.names, semicolon=node.semicolon,
                              whitespace_after_import=node.whitespace_after_import)
    return cst.LazyImportFrom(
        module=node.module, names=node.names, relative=node.relative, lpar=node.lpar,
        rpar=node.rpar, semicolon=node.semicolon, whitespace_after_from=node.whitespace_after_from,
        whitespace_before_import=node.whitespace_before_import,
        whitespace_after_import=node.whitespace_after_import)


class LazyModules(MoveTransformer):
    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        found = find_statements(original, self.moves, self.lines)
        names: list[str] = []
        for move in sorted(self.moves, key=lambda m: m.statement.line):
            names += [name for name in lazy_module_names(move) if name not in names]
            self.done.append((move, f"{', '.join(lazy_module_names(move))} "
                                    f"in {LAZY_MODULES}"))
        first_import = min(index for index, _ in found)
        existing = _existing(updated)
        body = list(updated.body)
        if existing is not None:
            index, value = existing
            if index > first_import:
                raise RewriteError(f"{LAZY_MODULES} is assigned after the imports it should "
                                   "name; move it up first")
            body[index] = _extended(body[index], value, names)
            return updated.with_changes(body=body)
        at = _insertion_point(body)
        if at > first_import:
            raise RewriteError(f"an import to make lazy comes before where {LAZY_MODULES} "
                               "can go")
        new = cst.parse_statement(f"{LAZY_MODULES} = [{', '.join(map(_quoted, names))}]")
        if at < len(body):   # keep the spacing above, and comments on what they describe
            leading = list(body[at].leading_lines)
            blank = next((i for i, line in enumerate(leading) if line.comment), len(leading))
            new = new.with_changes(leading_lines=leading[:blank])
            rest = leading[blank:]
            spaced = [cst.EmptyLine(), *rest] if rest else []
            body[at] = body[at].with_changes(leading_lines=spaced)
        body.insert(at, new)
        return updated.with_changes(body=body)


def _existing(module: cst.Module):
    """(index, list node) of a top-level `__lazy_modules__ = [...]`."""
    for index, statement in enumerate(module.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (isinstance(small, cst.Assign) and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and small.targets[0].target.value == LAZY_MODULES):
                if not isinstance(small.value, (cst.List, cst.Tuple, cst.Set)):
                    raise RewriteError(f"{LAZY_MODULES} is not a literal list; extend it by hand")
                return index, small.value
    return None


def _extended(statement: cst.SimpleStatementLine, value, names: list[str]):
    present = {code(element.value).strip("'\"") for element in value.elements}
    new = [name for name in names if name not in present]
    if not new:
        return statement
    elements = list(value.elements)
    if elements:
        elements[-1] = elements[-1].with_changes(comma=cst.Comma(
            whitespace_after=cst.SimpleWhitespace(" ")))
    elements += [cst.Element(cst.SimpleString(_quoted(name)),
                             comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                 for name in new]
    elements[-1] = elements[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    replaced = value.with_changes(elements=elements)
    return statement.deep_replace(value, replaced)


def _quoted(name: str) -> str:
    return f'"{name}"'


def _insertion_point(body: list[cst.BaseStatement]) -> int:
    """After the module docstring and `from __future__` imports."""
    at = 1 if body and is_docstring(body[0]) else 0
    while at < len(body) and _is_future_import(body[at]):
        at += 1
    return at


def _is_future_import(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine)
            and any(isinstance(small, cst.ImportFrom) and small.module is not None
                    and code(small.module) == "__future__" for small in statement.body))
