"""docs/reasons.md, written from the reason registry (analysis/reasons.py).

`python -m lazyaudit.render.reasons_doc > docs/reasons.md` regenerates it;
tests/test_reasons.py checks the page and the registry agree.
"""

from __future__ import annotations

import re

from ..analysis.reasons import REASONS

INTRO = """\
# Why an import is left alone: the reasons and their codes

`rank` and `fix` say why they leave each import alone. Every reason has a stable
code, given beside the message: in the tables, and as `code` beside `reason` in
the JSON (a candidate's `sites`, the candidate itself, and `fix`'s `left_alone`).
Codes never change meaning; new reasons get new codes.

- **LA1xx**: the whole statement has to stay;
- **LA2xx**: one of the names it binds has to stay;
- **LA3xx**: deferring it would free nothing (the verdict `no-gain`);
- **LA4xx**: `fix` leaves a safe import alone (its options, or the style chosen).

In a message, words in braces stand for the name, module, file or line concerned.

| code | name | message |
| --- | --- | --- |
"""


def render() -> str:
    rows = [f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | "
            f"{_cell(r.template)} |" for r in REASONS.values()]
    sections = []
    for reason in REASONS.values():
        doc = re.sub(r"^## ", "### ", reason.doc, flags=re.M)
        sections.append(f"## {reason.code} {reason.name}\n\nMessage: "
                        f"{_code(reason.template)}\n\n{doc}\n")
    return INTRO + "\n".join(rows) + "\n\n" + "\n".join(sections)


def _cell(text: str) -> str:
    return _code(text).replace("|", "\\|")


def _code(text: str) -> str:
    """A code span that may hold backticks."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


if __name__ == "__main__":
    print(render(), end="")
