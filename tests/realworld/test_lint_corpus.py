"""lint's recall on real projects: each Django project of the corpus is copied, each
rule's bug is planted into one of its views and one of its middleware (a middleware of
the project's own when it has one, else one added to its settings' MIDDLEWARE), and
lint, through the real command line, must report every planted bug. A linter that
reports nothing fails it. What lint reports on the untouched project is kept in the
results folder (the findings read one by one in docs/rules/corpus.md)."""

import ast
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from lazyaudit_cli import lazyaudit

MODULE_ADDITIONS = """

import functools as _planted_functools
_PLANTED_{TAG}_LIST = []
_PLANTED_{TAG}_LAST = None


class _Planted{Tag}Cache:
    entries = {{}}

    def remember(self, key):
        self.entries[key] = key


@_planted_functools.cache
def _planted_{tag}_cached(key):
    return key
"""
STATEMENTS = """\
global _PLANTED_{TAG}_LAST
_PLANTED_{TAG}_LIST.append(request)
_PLANTED_{TAG}_LAST = request
_Planted{Tag}Cache().remember(request)
_planted_{tag}_cached(request)
"""
# (code, the end of the qualified name of the state it concerns)
EXPECTED = [("LA501", "._PLANTED_{TAG}_LIST"), ("LA502", "._PLANTED_{TAG}_LAST"),
            ("LA504", "._Planted{Tag}Cache.entries"), ("LA505", "._planted_{tag}_cached")]
ADDED_MIDDLEWARE = """\
class PlantedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)
"""


def copy_sources(source: Path, target: Path) -> None:
    """The project's Python files (and its pyproject.toml), nothing else: lint reads no
    other file, and some projects carry hundreds of MB of static assets."""
    def ignore(folder, names):
        return [name for name in names if not (Path(folder, name).is_dir() and name not in {
            "node_modules", ".git", "static", "locale"}) and not name.endswith(".py")
                and name != "pyproject.toml"]
    shutil.copytree(source, target, ignore=ignore, symlinks=True)


def functions_with_request(tree: ast.Module):
    """(function node, class node or None) of every function or method that takes a
    `request` parameter, in file order."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.args.args[:1] and \
                node.args.args[0].arg == "request":
            yield node, None
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and "request" in [
                        a.arg for a in item.args.args]:
                    yield item, node


def first_statement_line(function: ast.FunctionDef) -> int | None:
    body = function.body
    if (isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)):
        body = body[1:]
    if not body or body[0].lineno <= function.lineno:
        return None
    return body[0].lineno


def find_view(root: Path):
    """A view of the project's own: a function of a views module taking `request`, or a
    get/post method of a class whose base is a ...View."""
    for path in sorted(root.rglob("*.py")):
        if "views" not in path.relative_to(root).with_suffix("").parts or \
                "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function, cls in functions_with_request(tree):
            if cls is not None and (function.name not in {"get", "post"} or not any(
                    ast.unparse(base).endswith("View") for base in cls.bases)):
                continue
            if first_statement_line(function):
                return path, function, cls
    return None


def find_middleware(root: Path):
    """A middleware of the project's own: `__init__(self, get_response)` and
    `__call__(self, request)`."""
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "get_response" not in text:
            continue
        for function, cls in functions_with_request(ast.parse(text)):
            if cls is None or function.name != "__call__" or not first_statement_line(function):
                continue
            init = next((item for item in cls.body if isinstance(item, ast.FunctionDef)
                         and item.name == "__init__"), None)
            if init and [a.arg for a in init.args.args][1:2] == ["get_response"]:
                return path, function, cls
    return None


def add_middleware(root: Path, settings_module: str):
    """A middleware module beside the settings, listed in their MIDDLEWARE."""
    settings = root / (settings_module.replace(".", "/") + ".py")
    if not settings.exists():
        settings = root / settings_module.replace(".", "/") / "__init__.py"
    package = settings_module.rpartition(".")[0]
    path = settings.parent / "planted_middleware.py"
    path.write_text(ADDED_MIDDLEWARE)
    with settings.open("a") as file:
        file.write(f'\nMIDDLEWARE += ["{package}.planted_middleware.PlantedMiddleware"]\n')
    tree = ast.parse(ADDED_MIDDLEWARE)
    cls = tree.body[0]
    return path, cls.body[1], cls


def plant(path: Path, function: ast.FunctionDef, cls, tag: str) -> None:
    """Every rule's bug in `function` (and the state it changes at the module's end)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    line = first_statement_line(function)
    indent = " " * (len(lines[line - 1]) - len(lines[line - 1].lstrip()))
    statements = STATEMENTS.format(TAG=tag.upper(), Tag=tag.title(), tag=tag)
    if cls is not None and function.args.args[0].arg == "self" and "get_response" in "".join(
            lines):
        statements += "self._planted_user = request.user\n"
    lines[line - 1:line - 1] = [indent + text + "\n" for text in statements.splitlines()]
    lines.append(MODULE_ADDITIONS.format(TAG=tag.upper(), Tag=tag.title(), tag=tag))
    path.write_text("".join(lines), encoding="utf-8")


def lint_findings(root: Path) -> list[dict]:
    result = lazyaudit("lint", "--project", root, "--format", "json", timeout=900)
    assert result.code in (0, 1), result
    return result.json()["findings"]


def test_lint_finds_every_planted_bug(project, tmp_path, results_dir):
    if project.target[0] != "--django":
        pytest.skip("lint looks for Django's entry points; not a Django project")
    root = tmp_path / "project"
    copy_sources(project.project, root)
    before = lint_findings(root)
    (results_dir / f"{project.name}.lint.json").write_text(json.dumps(before, indent=1))

    sites = {"view": find_view(root), "middleware": find_middleware(root)}
    if sites["middleware"] is None:
        sites["middleware"] = add_middleware(root, project.target[1])
    expected = []
    for tag, site in sites.items():
        if site is None:
            continue
        path, function, cls = site
        if tag == "view" and sites["middleware"][0] == path:
            continue
        plant(path, function, cls, tag)
        relative = path.relative_to(root).as_posix()
        expected += [(code, relative, suffix.format(TAG=tag.upper(), Tag=tag.title(), tag=tag))
                     for code, suffix in EXPECTED]
        if tag == "middleware":
            expected.append(("LA503", relative, f".{cls.name}._planted_user"))
    assert len(expected) >= 5

    after = lint_findings(root)
    missing = [item for item in expected if not any(
        f["code"] == item[0] and f["path"] == item[1] and f["state"].endswith(item[2])
        for f in after)]
    assert missing == [], textwrap.indent(json.dumps(after, indent=1), "  ")
    # Planting added findings, it took none away.
    assert {(f["code"], f["state"]) for f in before} <= {(f["code"], f["state"]) for f in after}
