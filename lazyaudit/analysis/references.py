"""Who else reaches a module-level name from outside its module.

Moving `import x` into a function removes `x` from the module's namespace, which
breaks `from mod import x` elsewhere, `mod.x` attribute access, and tests that
patch "pkg.mod.x" by name.
"""

from __future__ import annotations

from collections import defaultdict

from .sources import SourceTree


def external_references(tree: SourceTree) -> dict[tuple[str, str], list[str]]:
    """{(module, name): ["file:line (how)", ...]} over every first-party file."""
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    known = tree.by_module()
    for usage in tree.files:
        where = usage.path.removeprefix(str(tree.root) + "/")
        for statement in usage.statements:
            for binding in statement.bindings:
                if binding.attribute and binding.module in known:
                    found[(binding.module, binding.attribute)].append(
                        f"{where}:{statement.line} (from {binding.module} import "
                        f"{binding.attribute})")
            if statement.star and statement.modules[0] in known:
                source = known[statement.modules[0]]
                for name in _star_exports(source):
                    found[(source.module, name)].append(
                        f"{where}:{statement.line} (from {source.module} import *)")
        for module, attribute, line in usage.attribute_refs:
            if module in known and module != usage.module:
                found[(module, attribute)].append(f"{where}:{line} ({module}.{attribute})")
        for text, line in usage.strings:
            for module, attribute in _dotted_targets(text, known):
                found[(module, attribute)].append(f'{where}:{line} ("{text}")')
    return found


def _star_exports(usage) -> list[str]:
    """The imported names `from module import *` copies: without __all__, every
    public one (with __all__ they are marked re-exported already)."""
    if usage.defines_all:
        return []
    return [binding.name for statement in usage.statements if not statement.function
            for binding in statement.bindings if not binding.name.startswith("_")]


def _dotted_targets(text: str, known) -> list[tuple[str, str]]:
    """'pkg.mod.name.attr' names `name` in module `pkg.mod` (as mock.patch does)."""
    parts = text.split(".")
    targets = []
    for cut in range(1, len(parts)):
        module = ".".join(parts[:cut])
        if module in known and parts[cut].isidentifier():
            targets.append((module, parts[cut]))
    return targets
