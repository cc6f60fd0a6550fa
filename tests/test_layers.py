"""The layers of docs/architecture.md, checked on the code: a module may import from its
own part of the package or from a layer below it, never from one above it or from a
sibling beside it; the probe imports nothing of lazyaudit and nothing imports it."""

import ast
from pathlib import Path

from conftest import ROOT

# Top to bottom; the parts of one layer must not import each other.
LAYERS = [
    ["__main__"],
    ["cli"],
    ["commands"],
    ["whatif"],
    ["render", "codemod", "check", "workers", "requests"],
    ["assemble"],
    ["runner"],
    ["target", "classify", "progress", "source_edges", "url_list"],
    ["analysis"],
    ["model", "config"],
    ["units", "errors", "cache", "interrupts", "__init__"],
]
INDEPENDENT = ["probe"]
# Folders of files that run inside the target's interpreter, as the probe does: standard
# library only, never imported by lazyaudit (the hooks load the app when imported).
IN_TARGET = {"probe", "hooks"}


def part_of(module: str) -> str:
    """lazyaudit.render.table -> render; lazyaudit.cli -> cli."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports(package: Path, name: str) -> list[tuple[str, str, int]]:
    """(importing module, imported lazyaudit module, line) for every import in the
    package, also those inside functions."""
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent).with_suffix("")
        module = ".".join(relative.parts).removesuffix(".__init__")
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".")
                    base = base[:len(base) - node.level + (1 if is_package else 0)]
                    prefix = ".".join(base + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                targets = [submodule(package.parent, prefix, alias.name) for alias in node.names]
            else:
                continue
            found += [(module, target, node.lineno) for target in targets
                      if target == name or target.startswith(name + ".")]
    return found


def submodule(top: Path, prefix: str, name: str) -> str:
    """`from prefix import name` imports the submodule prefix.name if there is one, else
    an attribute of prefix."""
    path = top.joinpath(*prefix.split("."), name)
    return f"{prefix}.{name}" if path.is_dir() or path.with_suffix(".py").exists() else prefix


def violations(package: Path, layers=LAYERS, independent=INDEPENDENT) -> list[str]:
    level = {part: i for i, group in enumerate(layers) for part in group}
    problems = []
    for importer, imported, line in imports(package, package.name):
        source, target = part_of(importer), part_of(imported)
        where = f"{importer}:{line} imports {imported}"
        if source == target:
            continue
        if source in independent or target in independent:
            problems.append(f"{where}: {source if source in independent else target} "
                            "stands alone")
        elif source not in level or target not in level:
            problems.append(f"{where}: {source if source not in level else target} is in "
                            "no layer")
        elif level[target] < level[source]:
            problems.append(f"{where}: a lower layer imports a higher one")
        elif level[target] == level[source]:
            problems.append(f"{where}: siblings in one layer import each other")
    return problems


def test_lazyaudit_keeps_its_layers():
    assert violations(ROOT / "lazyaudit") == []


def test_a_lower_layer_importing_a_higher_one_is_caught(tmp_path):
    package = tmp_path / "lazyaudit"
    (package / "render").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "render" / "__init__.py").write_text("")
    (package / "model.py").write_text("def load():\n    from .render import table\n")
    (package / "render" / "table.py").write_text("from ..model import load\n")
    (package / "check.py").write_text("from lazyaudit.render.table import x\n")
    (package / "probe.py").write_text("from . import model\n")
    assert violations(package) == [
        "lazyaudit.check:1 imports lazyaudit.render.table: siblings in one layer import "
        "each other",
        "lazyaudit.model:2 imports lazyaudit.render.table: a lower layer imports a higher "
        "one",
        "lazyaudit.probe:1 imports lazyaudit.model: probe stands alone",
    ]


def test_only_the_entry_point_exits():
    """Helpers raise a LazyauditError; cli.main alone turns it into an exit code (the probe
    is a separate process with its own)."""
    exits = []
    for path in sorted((ROOT / "lazyaudit").rglob("*.py")):
        if path.parent.name in IN_TARGET or path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Attribute) and node.attr == "exit"
                    and isinstance(node.value, ast.Name) and node.value.id == "sys"):
                exits.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert exits == []


def test_every_error_of_lazyaudit_has_one_base():
    """A public exception class defined in lazyaudit derives from LazyauditError (a
    private one never leaves its module)."""
    import importlib

    from lazyaudit.errors import LazyauditError

    strays = []
    for path in sorted((ROOT / "lazyaudit").rglob("*.py")):
        if path.parent.name in IN_TARGET or path.name == "__main__.py":
            continue
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(
            ".__init__")
        for name, value in vars(importlib.import_module(module)).items():
            if (isinstance(value, type) and issubclass(value, BaseException)
                    and value.__module__ == module and not name.startswith("_")
                    and not issubclass(value, LazyauditError)):
                strays.append(f"{module}.{name}")
    assert strays == []


def test_the_hooks_import_only_the_standard_library():
    """The files that run in the server's processes import nothing of lazyaudit, and
    their names cannot be shadowed by a module of the app."""
    hooks = sorted((ROOT / "lazyaudit" / "workers" / "hooks").glob("*.py"))
    hooks += sorted((ROOT / "lazyaudit" / "probe").glob("_lazyaudit_*.py"))
    assert len(hooks) > 3
    for path in hooks:
        assert path.name.startswith("_lazyaudit_"), path
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0 and not (node.module or "").startswith("lazyaudit"), path
            if isinstance(node, ast.Import):
                assert not any(alias.name.startswith("lazyaudit") for alias in node.names), path
