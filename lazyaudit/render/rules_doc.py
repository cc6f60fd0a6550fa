"""docs/rules/, written from lint's rule registry (analysis/lint/rules.py): an index
and one page per rule.

`python -m lazyaudit.render.rules_doc docs/rules` regenerates them;
tests/test_lint_docs.py checks the pages and the registry agree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..analysis.lint.rules import RULES

INDEX = """\
# lint rules

`lazyaudit lint` finds request data kept in state that lives as long as the worker
([cli](../cli.md#lint), [ci](../ci.md#lint-in-ci)). Every rule has a stable code
(LA5xx; LA1xx-LA4xx are the [reasons](../reasons.md) of rank and fix). Codes never
change meaning; new rules get new codes.

A finding is reported only on code that runs per request: functions reachable from
an entry point (URLconf views, including `include`, `as_view` and DRF routers;
MIDDLEWARE; signal receivers; template tags and filters; Celery tasks; ModelAdmin
and AdminSite methods; template `Node`s; DATABASE_ROUTERS), following calls by name
across the project's modules and through `self.method`.

| code | name | what |
| --- | --- | --- |
"""

FOOTER = """
Suppress one finding with `# lazyaudit: ignore[CODE]` on its line (or
`# lazyaudit: ignore` for every rule); whole rules or files with
`[tool.lazyaudit.lint]` `select`, `ignore` and `per-file-ignores`.

What the rules found on real projects, finding by finding: [corpus.md](corpus.md).
"""


def index() -> str:
    rows = [f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.summary} |"
            for rule in RULES.values()]
    return INDEX + "\n".join(rows) + "\n" + FOOTER


def page(code: str) -> str:
    rule = RULES[code]
    return (f"# {rule.code} {rule.name}\n\n{rule.summary[0].upper() + rule.summary[1:]}.\n\n"
            f"{rule.doc}\n## Suppress\n\n`# lazyaudit: ignore[{rule.code}]` on the "
            "finding's line, or `ignore = [\"" + rule.code + "\"]` in "
            "`[tool.lazyaudit.lint]`.\n\n[All rules](README.md)\n")


def pages() -> dict[str, str]:
    """{file name: text} of every generated page."""
    found = {"README.md": index()}
    found.update({f"{code}.md": page(code) for code in RULES})
    return found


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in pages().items():
        (folder / name).write_text(text, encoding="utf-8")
