"""Call-site analysis: every use class, on small real files."""

import textwrap

import pytest

from lazyaudit.analysis.safety import judge
from lazyaudit.analysis.usage import ANNOTATION, DEFERRED, IMPORT_TIME, scan_source


def scan(source, module="app.mod", is_package=False):
    return scan_source(textwrap.dedent(source), "mod.py", module, is_package)


def verdict(source, references=None, **kwargs):
    usage = scan(source, **kwargs)
    statement = next(statement for statement in usage.statements if not statement.future)
    return judge(statement, usage, references or {})


def uses_of(source, name="heavy"):
    usage = scan(source)
    return [(u.kind, u.where) for s in usage.statements for b in s.bindings
            if b.name == name for u in b.uses]


@pytest.mark.parametrize("source, reason", [
    ("import heavy\nVALUE = heavy.make()\n", "module level"),
    ("import heavy\nclass A:\n    x = heavy.make()\n", "class body"),
    ("import heavy\n@heavy.cache\ndef f():\n    pass\n", "decorator"),
    ("import heavy\ndef f(x=heavy.DEFAULT):\n    return x\n", "default argument"),
    ("import heavy\nclass A(heavy.Base):\n    pass\n", "base class"),
    ("import heavy\nclass A(metaclass=heavy.Meta):\n    pass\n", "metaclass or class keyword"),
    ("import heavy\ndef f(x: heavy.T) -> None:\n    pass\n", "annotation evaluated at runtime"),
    ("import heavy\nx: heavy.T = 1\n", "annotation evaluated at runtime"),
    ("import heavy\nNAMES = [heavy.name(i) for i in range(3)]\n", "module level"),
    ("import heavy\nclass A:\n    @heavy.prop\n    def m(self):\n        pass\n", "decorator"),
    ("import heavy\nf = lambda x=heavy.D: x\n", "default argument"),
])
def test_import_time_uses(source, reason):
    assert (IMPORT_TIME, reason) in uses_of(source)
    result = verdict(source)
    assert not result.safe
    assert "used at import time" in result.reason and reason in result.reason


@pytest.mark.parametrize("source, function", [
    ("import heavy\ndef f():\n    return heavy.run()\n", "f"),
    ("import heavy\nclass A:\n    def m(self):\n        return heavy.run()\n", "m"),
    ("import heavy\ndef outer():\n    def inner():\n        return heavy.run()\n    return inner\n",
     "outer.inner"),
    ("import heavy\ndef f():\n    return lambda: heavy.run()\n", "f.<lambda>"),
    ("import heavy\nasync def f():\n    return heavy.run()\n", "f"),
])
def test_deferred_uses(source, function):
    assert uses_of(source) == [(DEFERRED, function)]
    result = verdict(source)
    assert result.safe and result.style == "local"


def test_a_module_level_lambda_has_no_body_to_import_in():
    source = "import heavy\nf = lambda: heavy.run()\n"
    assert uses_of(source) == [(DEFERRED, "<lambda>")]
    result = verdict(source)
    assert not result.safe and "module-level lambda" in result.reason


def test_innermost_def_of_each_use():
    usage = scan("""\
        import heavy
        def outer():
            def inner():
                return heavy.run()
            return lambda: heavy.go()
        """)
    uses = usage.statements[0].bindings[0].uses
    assert [(use.line, use.def_line) for use in uses] == [(4, 3), (5, 2)]


@pytest.mark.parametrize("source, reason", [
    ("from __future__ import annotations\nimport heavy\nclass M:\n    x: heavy.T\n",
     "annotation evaluated at runtime"),
    ("from __future__ import annotations\nimport heavy, functools\n@functools.cache\n"
     "def f(x: heavy.T):\n    pass\n", "annotation evaluated at runtime"),
])
def test_annotations_that_libraries_read_at_import_time(source, reason):
    result = verdict(source)
    assert not result.safe and reason in result.reason


def test_lazy_imports_are_read_on_any_python():
    usage = scan("import os\nlazy import heavy\nlazy from heavy import x\n"
                 "def f():\n    return heavy, x\n")
    assert [statement.lazy for statement in usage.statements] == [False, True, True]
    assert judge(usage.statements[1], usage, {}).reason == "already a lazy import"


def test_annotation_only_uses_are_type_checking_candidates():
    source = """\
        from __future__ import annotations
        import heavy
        def f(x: heavy.Frame) -> heavy.Frame:
            y: heavy.Frame = x
            return y
        """
    usage = scan(source)
    statement = usage.statements[1]
    assert {u.kind for u in statement.bindings[0].uses} == {ANNOTATION}
    result = judge(statement, usage, {})
    assert result.safe and result.style == "type-checking"


def test_uses_under_type_checking_are_annotations():
    source = """\
        from typing import TYPE_CHECKING
        import heavy
        if TYPE_CHECKING:
            Alias = heavy.Frame
        def f():
            return heavy.run()
        """
    kinds = {kind for kind, _ in uses_of(source)}
    assert kinds == {ANNOTATION, DEFERRED}


def test_parameter_shadowing_is_not_a_use():
    source = "import heavy\ndef f(heavy):\n    return heavy\ndef g():\n    return heavy.x\n"
    assert uses_of(source) == [(DEFERRED, "g")]


@pytest.mark.parametrize("source, code, reason", [
    ("import heavy\n__all__ = ['heavy']\ndef f():\n    return heavy\n", "LA202",
     "re-exported in __all__"),
    ("import heavy\n", "LA207", "never used"),
    ("from . import signals\n", "LA201", "side effects"),
    ("try:\n    import heavy\nexcept ImportError:\n    heavy = None\n", "LA107",
     "an ImportError fallback binds heavy twice"),
    ("try:\n    import heavy\nexcept ImportError:\n    print('no heavy')\n", "LA108",
     "the handler would no longer catch what the import raises"),
    ("import heavy\ndef f():\n    global heavy\n    heavy = 1\n", "LA205", "bound more than once"),
    ("import heavy\nheavy = heavy.wrap()\n", "LA205", "bound more than once"),
    ("import heavy\ndef f():\n    return heavy\ndel heavy\n", "LA205", "bound more than once"),
    ("import heavy.a\nimport heavy.b as heavy\ndef f():\n    return heavy\n", "LA205",
     "bound more than once"),
    ("from heavy import *\n", "LA102", "star import"),
    ("from __future__ import annotations\n", "LA101", "__future__"),
    ("import sys\nif sys.platform == 'linux':\n    import heavy\n", "LA109",
     "conditional import"),
])
def test_unsafe_with_reason(source, code, reason):
    usage = scan(source)
    statement = [s for s in usage.statements if not s.modules == ["sys"]][0]
    result = judge(statement, usage, {})
    assert not result.safe
    assert reason in result.reason
    assert result.code == code
    assert "ImportError fallback" not in result.reason or code == "LA107"


def test_two_submodules_of_one_package_bind_it_once():
    # `import email.mime.text` and `import email.mime.multipart` both bind `email` to
    # the same package: not a second binding.
    usage = scan("import email.mime.text\nimport email.mime.multipart\n\n"
                 "def f():\n    return email.mime.text, email.mime.multipart\n")
    for statement in usage.statements:
        result = judge(statement, usage, {})
        assert result.safe, result.reason


def test_package_init_reexports():
    result = verdict("import heavy\ndef f():\n    return heavy\n", module="app", is_package=True)
    assert not result.safe and "__init__.py" in result.reason


def test_names_reached_from_other_modules_are_reexports(tmp_path):
    from lazyaudit.analysis.references import external_references
    from lazyaudit.analysis.sources import scan_tree

    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "store.py").write_text(
        "import heavy\nimport other\nimport third\n"
        "def f():\n    return heavy, other, third\n")
    (tmp_path / "app" / "views.py").write_text("from app.store import heavy\n")
    (tmp_path / "app" / "api.py").write_text(
        "from app import store\ndef g():\n    return store.other\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_store.py").write_text(
        "from unittest import mock\n@mock.patch('app.store.third.client')\ndef test(m):\n"
        "    pass\n")
    tree = scan_tree(tmp_path)
    references = external_references(tree)
    store = tree.by_module()["app.store"]
    reasons = {s.bindings[0].name: judge(s, store, references).reason for s in store.statements}
    assert "app/views.py:1 (from app.store import heavy)" in reasons["heavy"]
    assert "app/api.py:3 (app.store.other)" in reasons["other"]
    assert "tests/test_store.py:2 (\"app.store.third.client\")" in reasons["third"]


def test_deferred_use_counts():
    source = """\
        import heavy
        def a():
            heavy.x()
            heavy.y()
        def b():
            heavy.z()
        """
    usage = scan(source)
    binding = usage.statements[0].bindings[0]
    assert len(binding.deferred_uses) == 3
    assert {u.where for u in binding.deferred_uses} == {"a", "b"}


def test_syntax_errors_are_skipped_with_a_message(tmp_path):
    from lazyaudit.analysis.sources import scan_tree

    (tmp_path / "good.py").write_text("import json\n")
    (tmp_path / "bad.py").write_text("def f(:\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("")
    (tmp_path / ".venv" / "skipped.py").write_text("import json\n")
    (tmp_path / "env" / "conda-meta").mkdir(parents=True)
    (tmp_path / "env" / "skipped.py").write_text("import json\n")
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "x.py").write_text("import json\n")
    tree = scan_tree(tmp_path, exclude=["vendor"])
    assert [usage.module for usage in tree.files] == ["good"]
    assert len(tree.skipped) == 1 and tree.skipped[0].startswith("bad.py:1: syntax error")
