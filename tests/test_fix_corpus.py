"""`fix` on a corpus of tricky imports: every case is either left alone (byte for
byte, with its reason) or rewritten with identical behaviour, checked by running
the code before and after on Python 3.11 and 3.15. See tests/fix_corpus/README.md.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, lazyaudit

CORPUS = Path(__file__).parent / "fix_corpus"
CASES = sorted(path.stem for path in CORPUS.glob("case_*.py")) + ["reexport_pkg"]
PY315 = ROOT / ".cache/python3.15/venv/bin/python"
# Statements that bind other names too: only the local style can split them.
SPLIT_STATEMENTS = {"case_partial_import", "case_partial_from_import"}

needs_315 = pytest.mark.skipif(not PY315.exists(),
                               reason="Python 3.15 is not installed (make py315 could not get "
                                      "it from Debian's packages)")
PYTHONS = [pytest.param(sys.executable, id="3.11"),
           pytest.param(str(PY315), id="3.15", marks=needs_315)]


def source_file(case: str) -> Path:
    return Path(case, "__init__.py") if case == "reexport_pkg" else Path(f"{case}.py")


def expectation(case: str) -> str:
    for line in (CORPUS / source_file(case)).read_text().splitlines():
        if line.lstrip("\ufeff").startswith("# expect: "):
            return line.lstrip("\ufeff").removeprefix("# expect: ")
    raise AssertionError(f"{case} says nothing of what to expect")


MOVED = {case for case in CASES if expectation(case).startswith("moved")}


def run_cases(python: str, directory: Path) -> dict:
    """{case: (heavypkg loaded by the import, what main() returned)}"""
    results = {}
    for case in CASES:
        run = subprocess.run([python, "-B", "run_case.py", case], cwd=directory,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, f"{case} on {python}:\n{run.stderr}"
        loaded, result = run.stdout.splitlines()
        results[case] = (loaded == "loaded at import: True", result)
    return results


@pytest.fixture
def corpus(tmp_path):
    directory = tmp_path / "corpus"
    shutil.copytree(CORPUS, directory, ignore=shutil.ignore_patterns("__pycache__"))
    return directory


def fix(directory: Path, *args):
    result = lazyaudit("fix", "--select", "heavypkg", "--project", directory,
                       "--format", "json", *args)
    assert result.code == 0, result
    return result.json()


def changed(directory: Path) -> set[str]:
    return {case for case in CASES if (directory / source_file(case)).read_bytes()
            != (CORPUS / source_file(case)).read_bytes()}


def assert_idempotent(directory: Path, *args):
    again = lazyaudit("fix", "--select", "heavypkg", "--project", directory, "--check", *args)
    assert again.code == 0, again


@pytest.mark.parametrize("python", PYTHONS)
def test_local_style_rewrites_the_safe_cases_and_leaves_the_rest(python, corpus):
    before = run_cases(python, corpus)
    outcome = fix(corpus)
    after = run_cases(python, corpus)

    assert changed(corpus) == MOVED
    reasons = {}
    for item in outcome["left_alone"]:
        reasons.setdefault(Path(item["file"]).stem if item["file"] != "reexport_pkg/__init__.py"
                           else "reexport_pkg", []).append((item["code"], item["reason"]))
    for case in CASES:
        expected = expectation(case)
        assert after[case][1] == before[case][1], f"{case} behaves differently"
        assert before[case][0], f"{case} should load heavypkg before the fix"
        if case in MOVED:
            assert after[case][0] == ("still loaded" in expected), case
        else:   # "left alone: CODE" or "left alone: CODE (words of the reason)"
            code, _, detail = expected.removeprefix("left alone: ").partition(" ")
            given = reasons.get(case, [])
            assert any(code == given_code and detail.strip("()") in text
                       for given_code, text in given), (case, given)
    assert_idempotent(corpus)


def test_local_style_output_keeps_comments_and_docstrings(corpus):
    fix(corpus)
    text = (corpus / "case_docstring_and_comments.py").read_text()
    assert text == '''\
"""A module with a docstring and comments around the import."""
# expect: moved

import os

# a comment about PATH_SEP
PATH_SEP = os.sep


def main():
    """Compute something."""
    # heavypkg is needed only by main()
    import heavypkg
    # the first statement has a comment of its own
    return heavypkg.compute(1), PATH_SEP
'''
    nested = (corpus / "case_nested_functions.py").read_text()
    assert nested.count("import heavypkg") == 2        # outer() and helper(), not inner()
    assert "def outer(value):\n    import heavypkg\n    def inner():" in nested
    assert "    def helper(x):\n        import heavypkg\n" in nested
    clash = (corpus / "case_parameter_clash.py").read_text()
    assert "def uses_a_parameter(heavypkg):\n    return" in clash
    one_line = (corpus / "case_one_line_def.py").read_text()
    assert one_line.endswith("def main():\n    import heavypkg  # the heavy one\n"
                             "    return heavypkg.compute(7)\n")
    annotated = (corpus / "case_annotation_only.py").read_text()
    assert "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from heavypkg import Base\n" \
        in annotated
    partial = (corpus / "case_partial_from_import.py").read_text()
    assert partial.startswith("# expect: moved, still loaded\nfrom heavypkg import DEFAULT\n")


@needs_315
def test_lazy_style_on_python_315(corpus):
    before = run_cases(str(PY315), corpus)
    outcome = fix(corpus, "--style", "lazy", "--target-version", "3.15")
    after = run_cases(str(PY315), corpus)

    assert changed(corpus) == MOVED - SPLIT_STATEMENTS
    for case in CASES:
        assert after[case][1] == before[case][1], f"{case} behaves differently"
        if case in MOVED - SPLIT_STATEMENTS:
            assert not after[case][0], f"{case}: heavypkg still loaded by the import"
    assert "lazy import heavypkg\n" in (corpus / "case_function.py").read_text()
    assert "lazy from heavypkg import compute\n" in (corpus / "case_method.py").read_text()
    assert any(item["code"] == "LA403" for item in outcome["left_alone"])
    assert_idempotent(corpus, "--style", "lazy", "--target-version", "3.15")


@pytest.mark.parametrize("python", PYTHONS)
def test_lazy_modules_style_is_lazy_on_315_and_harmless_before(python, corpus):
    before = run_cases(python, corpus)
    fix(corpus, "--style", "lazy-modules", "--target-version", "3.15")
    after = run_cases(python, corpus)

    rewritten = MOVED - {"case_partial_from_import"}
    assert changed(corpus) == rewritten
    native = python == str(PY315)
    for case in CASES:
        assert after[case][1] == before[case][1], f"{case} behaves differently"
        if case in rewritten:
            assert after[case][0] != native, f"{case}: loaded at import is {after[case][0]}"
    text = (corpus / "case_annotation_only.py").read_text()
    assert text.startswith('# expect: moved\nfrom __future__ import annotations\n\n'
                           '__lazy_modules__ = ["heavypkg"]\n')
    assert_idempotent(corpus, "--style", "lazy-modules", "--target-version", "3.15")


def test_lazy_styles_need_python_315(corpus):
    result = lazyaudit("fix", "--select", "heavypkg", "--project", corpus, "--style", "lazy",
                       "--target-version", "3.12")
    assert result.code == 2
    assert "needs Python 3.15" in result.err and "Traceback" not in result.err
    (corpus / "pyproject.toml").write_text('[project]\nname = "c"\nrequires-python = ">=3.15"\n')
    result = lazyaudit("fix", "--select", "heavypkg", "--project", corpus, "--style", "lazy",
                       "--dry-run")
    assert result.code == 0, result
    assert "+lazy import heavypkg" in result.out


def test_a_file_without_a_final_newline_gives_a_valid_diff(corpus):
    (corpus / "case_function.py").write_text("import heavypkg\n\n\ndef main():\n"
                                             "    return heavypkg.compute(4)")
    result = lazyaudit("fix", "--select", "heavypkg", "--project", corpus, "--dry-run",
                       "case_function.py", "case_method.py", cwd=corpus)
    assert result.code == 0, result
    assert "    return heavypkg.compute(4)\n\\ No newline at end of file\n--- a/case_method.py" \
        in result.out
    patch = subprocess.run(["git", "apply", "--check", "-"], input=result.out, cwd=corpus,
                           capture_output=True, text=True)
    assert patch.returncode == 0, patch.stdout + patch.stderr
