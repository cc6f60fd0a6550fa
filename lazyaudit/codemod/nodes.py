"""Small libcst helpers the rewrites share."""

from __future__ import annotations

import libcst as cst

from ..errors import LazyauditError

EMPTY = cst.Module([])
IMPORT_NODES = (cst.Import, cst.ImportFrom)


class RewriteError(LazyauditError):
    """The file cannot be rewritten safely; it is left as it was."""


def code(node: cst.CSTNode) -> str:
    return EMPTY.code_for_node(node)


def bound_name(alias: cst.ImportAlias, is_from: bool) -> str:
    """The local name an alias binds: `import a.b` binds `a`."""
    if alias.asname is not None:
        return code(alias.asname.name)
    name = code(alias.name)
    return name if is_from else name.partition(".")[0]


def bound_names(node: cst.Import | cst.ImportFrom) -> list[str]:
    if isinstance(node.names, cst.ImportStar):
        return []
    return [bound_name(alias, isinstance(node, cst.ImportFrom)) for alias in node.names]


def import_code(node: cst.Import | cst.ImportFrom, names: list[str]) -> str:
    """The same import statement, binding only `names`."""
    is_from = isinstance(node, cst.ImportFrom)
    aliases = [code(alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()
               for alias in node.names if bound_name(alias, is_from) in names]
    if not is_from:
        return "import " + ", ".join(aliases)
    module = "." * len(node.relative) + (code(node.module) if node.module else "")
    return f"from {module} import " + ", ".join(aliases)


def without_names(node: cst.Import | cst.ImportFrom, names: list[str]):
    """The statement with these names taken out (commas kept valid); None if none is left."""
    is_from = isinstance(node, cst.ImportFrom)
    kept = [alias for alias in node.names if bound_name(alias, is_from) not in names]
    if not kept:
        return None
    parenthesized = is_from and node.lpar is not None
    if not parenthesized:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=kept)


def is_docstring(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def with_comment(statement: cst.SimpleStatementLine, comment: cst.Comment | None):
    if comment is None:
        return statement
    return statement.with_changes(trailing_whitespace=cst.TrailingWhitespace(
        whitespace=cst.SimpleWhitespace("  "), comment=comment))


def carry_leading_lines(removed: cst.BaseStatement, following: cst.BaseStatement | None,
                        module: cst.Module) -> tuple[cst.BaseStatement | None, cst.Module]:
    """Keep the comments (and the spacing) of a removed statement on the next one."""
    lines = list(removed.leading_lines)
    has_comment = any(line.comment is not None for line in lines)
    if following is None:
        if has_comment:
            module = module.with_changes(footer=[*lines, *module.footer])
        return following, module
    if not has_comment and following.leading_lines:
        return following, module   # the next statement keeps its own spacing
    return following.with_changes(leading_lines=[*lines, *following.leading_lines]), module


def split_attached_comments(lines) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:
    """(the rest, the comment lines right above a statement, with no blank line between)."""
    lines = list(lines)
    at = len(lines)
    while at and lines[at - 1].comment is not None:
        at -= 1
    return lines[:at], lines[at:]
