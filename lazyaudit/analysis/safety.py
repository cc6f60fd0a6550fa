"""Is it safe to defer one import statement? Say why not, for every one left alone.

The rules follow DESIGN.md "Changing code safely": move an import only when every
use of every name it binds runs later than module import.
"""

from __future__ import annotations

from dataclasses import dataclass

from .usage import FileUsage, ImportStatement

SIDE_EFFECT_MODULES = ("signals", "admin", "checks", "receivers", "handlers", "hooks",
                       "plugins", "monkeypatch", "patches")


@dataclass(slots=True)
class SiteVerdict:
    safe: bool
    reason: str = ""                 # why not, when unsafe
    style: str = "local"             # "local" or "type-checking" when safe


def judge(statement: ImportStatement, usage: FileUsage,
          references: dict[tuple[str, str], list[str]]) -> SiteVerdict:
    if statement.future:
        return SiteVerdict(False, "__future__ import")
    if statement.star:
        return SiteVerdict(False, "star import")
    if statement.type_checking:
        return SiteVerdict(False, "already under `if TYPE_CHECKING:`")
    if statement.function:
        unused = [b.name for b in statement.bindings if not b.uses]
        if unused:
            return SiteVerdict(False, f"imported for its side effects in {statement.function}(), "
                                      "which runs at startup")
        return SiteVerdict(False, f"already local to {statement.function}(), which runs at "
                                  "startup")
    if statement.block == "try":
        return SiteVerdict(False, "inside try/except (an ImportError fallback binds the name "
                                  "twice)")
    if statement.block:
        return SiteVerdict(False, f"conditional import (inside `{statement.block}`)")

    styles = set()
    for binding in statement.bindings:
        name = binding.name
        imported = f"{binding.module}.{binding.attribute}" if binding.attribute else binding.module
        if imported.rpartition(".")[2] in SIDE_EFFECT_MODULES:
            return SiteVerdict(False, f"{imported} is imported for its side effects (such "
                                      "modules register handlers when imported)")
        if binding.in_all:
            return SiteVerdict(False, f"{name} is re-exported in __all__")
        if usage.is_package:
            return SiteVerdict(False, f"{name} is re-exported by the package's __init__.py")
        outside = references.get((usage.module, name))
        if outside:
            return SiteVerdict(False, f"{name} is used from outside the module: {outside[0]}")
        if binding.other_bindings:
            return SiteVerdict(False, f"{name} is bound more than once "
                                      f"({', '.join(binding.other_bindings)})")
        import_time = binding.import_time_uses
        if import_time:
            first = import_time[0]
            return SiteVerdict(False, f"{name} is used at import time: {first.where} "
                                      f"(line {first.line})")
        if not binding.uses:
            return SiteVerdict(False, f"imported for its side effects ({name} is never used)")
        styles.add("type-checking" if binding.annotation_only else "local")
    if not statement.bindings:
        return SiteVerdict(False, "binds no name")
    return SiteVerdict(True, style="local" if "local" in styles else "type-checking")
