"""docs/rules/ says what the rule registry says, and every rule's example is real: run
per request, the bad example is that rule's finding and the good one is no finding."""

import ast
import re

import pytest

from conftest import ROOT

from lazyaudit.analysis.lint import lint_tree, scan_for_lint
from lazyaudit.analysis.lint.rules import RULES
from lazyaudit.render import rules_doc

SECTIONS = ["## Why it matters", "## Example", "## Use instead"]


def test_docs_pages_are_the_registry():
    folder = ROOT / "docs" / "rules"
    for name, text in rules_doc.pages().items():
        assert (folder / name).read_text() == text, (
            f"docs/rules/{name} is out of date: python -m lazyaudit.render.rules_doc")


def test_every_rule_has_a_code_a_name_and_its_sections():
    assert len({rule.name for rule in RULES.values()}) == len(RULES)
    for code, rule in RULES.items():
        assert re.fullmatch(r"LA5\d\d", code) and rule.code == code
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
        positions = [rule.doc.find(section) for section in SECTIONS]
        assert -1 not in positions and positions == sorted(positions), code


def examples(doc: str, section: str) -> str:
    part = doc.split(section, 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```python\n(.*?)```", part, re.S))


def run_per_request(tmp_path, code: str) -> list[str]:
    """The codes lint finds when a view calls every function and method of `code`
    with the request."""
    (tmp_path / "examples.py").write_text(code)
    calls = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef):
            calls.append(f"examples.{node.name}(request)")
        elif isinstance(node, ast.ClassDef):
            calls += [f"examples.{node.name}(request).{item.name}()" for item in node.body
                      if isinstance(item, ast.FunctionDef)]
    (tmp_path / "views.py").write_text(
        "import examples\ndef view(request):\n"
        + "".join(f"    {call}\n" for call in calls or ["pass"]))
    (tmp_path / "urls.py").write_text("from django.urls import path\nimport views\n"
                                      "urlpatterns = [path('', views.view)]\n")
    return [finding.code for finding in lint_tree(scan_for_lint(tmp_path))]


@pytest.mark.parametrize("code", list(RULES))
def test_the_example_is_found_and_the_fix_is_not(tmp_path, code):
    doc = RULES[code].doc
    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    assert run_per_request(tmp_path / "bad", examples(doc, "## Example")) == [code]
    assert run_per_request(tmp_path / "good", examples(doc, "## Use instead")) == []
