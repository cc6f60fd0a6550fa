"""Every reason for leaving an import alone has a code, a name and a documented example,
and docs/reasons.md says the same as the registry."""

import re
from pathlib import Path

from conftest import ROOT

from lazyaudit.analysis import reasons
from lazyaudit.analysis.reasons import REASONS
from lazyaudit.render import reasons_doc

SECTIONS = ["## What it flags", "## Why it stays", "## Example", "## Instead"]


def test_docs_page_is_the_registry():
    page = (ROOT / "docs" / "reasons.md").read_text()
    assert page == reasons_doc.render(), (
        "docs/reasons.md is out of date: python -m lazyaudit.render.reasons_doc > "
        "docs/reasons.md")


def test_every_reason_has_a_code_a_name_and_the_four_sections():
    names = set()
    for code, reason in REASONS.items():
        assert re.fullmatch(r"LA[1-4]\d\d", code), code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", reason.name), reason.name
        assert reason.name not in names
        names.add(reason.name)
        positions = [reason.doc.find(section) for section in SECTIONS]
        assert -1 not in positions and positions == sorted(positions), code
        assert "```" in reason.doc or "`lazyaudit" in reason.doc, f"{code} has no example"


def test_every_reason_is_given_somewhere():
    """No dead codes: each one is used by the analysis or by fix."""
    source = "".join(path.read_text() for path in (ROOT / "lazyaudit").rglob("*.py")
                     if path.name != "reasons.py")
    declared = {name for name, value in vars(reasons).items()
                if isinstance(value, reasons.Reason)}
    assert len(declared) == len(REASONS)
    for name in declared:
        assert f"reasons.{name}" in source, f"reasons.{name} is never used"


def test_the_docs_link_the_page():
    assert "reasons.md" in (ROOT / "docs" / "index.md").read_text()
    assert "reasons.md" in (ROOT / "docs" / "fixing.md").read_text()
