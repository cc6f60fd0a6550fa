"""Verdicts that once let `fix` change behaviour: each case here was judged wrongly
before, on small real files and, where only a boot can tell, on a real boot."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import lazyaudit
from lazyaudit.analysis.references import external_references
from lazyaudit.analysis.safety import judge
from lazyaudit.analysis.sources import boot_roots, scan_tree
from lazyaudit.analysis.usage import DEFERRED, GLOBAL_READ, scan_source


def scan(source, module="app.mod"):
    return scan_source(textwrap.dedent(source), "mod.py", module, False)


def verdict(source, references=None):
    usage = scan(source)
    statement = next(s for s in usage.statements if not s.future)
    return judge(statement, usage, references or {})


def uses_of(source, name="json"):
    return [(u.kind, u.where) for s in scan(source).statements for b in s.bindings
            if b.name == name for u in b.uses]


def write(root: Path, files: dict) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_a_class_body_that_binds_the_name_reads_the_module_global():
    source = """\
        import json
        def make():
            class Codec:
                json = json
            return Codec
        def other():
            return json.dumps(1)
        """
    assert uses_of(source) == [(GLOBAL_READ, "make"), (DEFERRED, "other")]
    result = verdict(source)
    assert not result.safe and "read as a module global by a class body in make()" \
        in result.reason


def test_a_class_body_that_only_reads_the_name_sees_the_function_local():
    source = """\
        import json
        def make():
            class Codec:
                dumps = json.dumps
            return Codec
        """
    assert uses_of(source) == [(DEFERRED, "make")]
    assert verdict(source).safe


def test_a_star_import_after_a_binding_binds_it_again():
    result = verdict("from json import dumps\nfrom pickle import *\n"
                     "def f():\n    return dumps(1)\n")
    assert not result.safe
    assert "bound more than once (`from pickle import *` at line 2)" in result.reason
    # Before the binding, the import wins: nothing to rebind.
    assert verdict("from pickle import *\nfrom json import dumps\n"
                   "def f():\n    return dumps(1)\n").safe is False   # star stays...
    usage = scan("from pickle import *\nfrom json import dumps\ndef f():\n    return dumps(1)\n")
    assert judge(usage.statements[1], usage, {}).safe


@pytest.mark.parametrize("body", [
    "    match x:\n        case json:\n            return json\n",
    "    match x:\n        case [*json]:\n            return json\n",
    "    match x:\n        case {**json}:\n            return json\n",
    "    match x:\n        case str() as json:\n            return json\n",
    "    try:\n        return x()\n    except ValueError as json:\n        return json\n",
])
def test_names_bound_by_case_and_except_as_are_function_locals(body):
    source = "import json\ndef f(x):\n" + body + "def g():\n    return json.dumps(1)\n"
    assert uses_of(source) == [(DEFERRED, "g")]


def test_except_as_at_module_level_binds_the_name_again():
    result = verdict("import json\ntry:\n    pass\nexcept ValueError as json:\n    pass\n"
                     "def f():\n    return json.dumps(1)\n")
    assert not result.safe and "`except ... as` at line 4" in result.reason


@pytest.mark.parametrize("call", [
    'monkeypatch.setattr(app.mod, "json", None)',
    'mock.patch.object(app.mod, "json")',
    'patch.object(mod, "json")',
    'setattr(app.mod, "json", None)',
])
def test_attributes_named_by_string_on_a_module_object_are_outside_uses(tmp_path, call):
    write(tmp_path, {
        "app/__init__.py": "",
        "app/mod.py": "import json\ndef f():\n    return json.dumps(1)\n",
        "tests/test_mod.py": f"import app.mod\nfrom app import mod\n"
                             f"def test(monkeypatch):\n    {call}\n",
    })
    tree = scan_tree(tmp_path)
    references = external_references(tree)
    assert ("app.mod", "json") in references
    usage = tree.by_module()["app.mod"]
    result = judge(usage.statements[0], usage, references)
    assert not result.safe and "used from outside the module: tests/test_mod.py" in result.reason


def test_a_dotted_attribute_of_a_submodule_is_an_outside_use(tmp_path):
    write(tmp_path, {
        "click/__init__.py": "",
        "click/_termui_impl.py": "from io import StringIO\ndef f():\n    return StringIO()\n",
        "tests/test_termui.py": "import click\n"
                                "def test():\n    assert click._termui_impl.StringIO\n",
    })
    assert ("click._termui_impl", "StringIO") in external_references(scan_tree(tmp_path))


@pytest.mark.parametrize("files, folder", [
    ({"pyproject.toml": "[project]\nname = 'x'\n"}, "src"),
    ({"pyproject.toml": "[tool.setuptools.packages.find]\nwhere = ['lib']\n"}, "lib"),
    ({"pyproject.toml": "[tool.setuptools]\npackage-dir = {'' = 'lib'}\n"}, "lib"),
    ({"pyproject.toml": "[tool.hatch.build.targets.wheel]\npackages = ['lib/requests']\n"},
     "lib"),
    ({"pyproject.toml": "[tool.poetry]\npackages = [{include = 'requests', from = 'lib'}]\n"},
     "lib"),
    ({"setup.cfg": "[options]\npackage_dir =\n    =lib\n"}, "lib"),
    ({"setup.cfg": "[options.packages.find]\nwhere = lib\n"}, "lib"),
    ({"lib/manage.py": ""}, "lib"),
])
def test_modules_are_named_from_their_import_root(tmp_path, files, folder):
    write(tmp_path, {**files,
                     f"{folder}/requests/__init__.py": "",
                     f"{folder}/requests/help.py": "import idna\ndef info():\n"
                                                   "    return idna.__version__\n",
                     "tests/test_help.py": "from unittest import mock\n"
                                           "def test():\n"
                                           "    mock.patch('requests.help.idna')\n"})
    tree = scan_tree(tmp_path)
    assert {"requests", "requests.help", "tests.test_help"} <= set(tree.by_module())
    usage = tree.by_module()["requests.help"]
    result = judge(usage.statements[0], usage, external_references(tree))
    assert not result.safe and "tests/test_help.py:3" in result.reason


def test_a_src_folder_that_is_a_package_is_no_import_root(tmp_path):
    write(tmp_path, {"src/__init__.py": "", "src/app.py": "import json\n"})
    assert set(scan_tree(tmp_path).by_module()) == {"src", "src.app"}


def test_a_boot_names_the_folders_it_imported_the_project_from(tmp_path):
    modules = [SimpleNamespace(name="requests.help", kind="first-party",
                               file=str(tmp_path / "code/requests/help.py")),
               SimpleNamespace(name="requests", kind="first-party",
                               file=str(tmp_path / "code/requests/__init__.py")),
               SimpleNamespace(name="json", kind="stdlib", file="/usr/lib/json/__init__.py")]
    roots = boot_roots(SimpleNamespace(modules=modules))
    assert roots == [str(tmp_path / "code")]
    write(tmp_path, {"code/requests/__init__.py": "", "code/requests/help.py": ""})
    assert set(scan_tree(tmp_path, boot=roots).by_module()) == {"requests", "requests.help"}


def test_a_submodule_reached_at_import_time_keeps_its_package_eager_with_select(tmp_path):
    write(tmp_path, {"colors.py": """\
        import pygments.lexer
        from pygments.formatters.terminal import TerminalFormatter

        class Colors:
            formatter: pygments.formatter.Formatter = None

        def make():
            return TerminalFormatter()
        """})
    result = lazyaudit("fix", "--select", "pygments", "--project", tmp_path, "--format", "json")
    assert result.code == 0, result
    reasons = [item["reason"] for item in result.json()["left_alone"]]
    assert any("pygments.formatter is reached as an attribute at import time (line 5)" in r
               for r in reasons), reasons
    assert "from pygments.formatters.terminal" in (tmp_path / "colors.py").read_text()


def test_a_boot_tells_which_import_loads_a_submodule_reached_as_an_attribute(tmp_path):
    write(tmp_path, {
        "colors.py": """\
            import pygments.lexer
            from pygments.formatters.terminal import TerminalFormatter
            from pygments.lexers.special import TextLexer

            class Colors:
                formatter: pygments.formatter.Formatter = None

            def make():
                return TerminalFormatter(), TextLexer()
            """,
        "app.py": "import colors\n"})
    result = lazyaudit("fix", "--module", "app", "--project", tmp_path, "--min-savings", "0",
                       "--no-tracemalloc", "--format", "json", "--all")
    assert result.code == 0, result
    outcome = result.json()
    reasons = {item["module"]: item["reason"] for item in outcome["left_alone"]}
    terminal = next(reason for module, reason in reasons.items()
                    if module.startswith("pygments.formatters"))
    assert "drops pygments.formatter from startup, which colors.py:6 reaches" in terminal
    text = (tmp_path / "colors.py").read_text()
    assert "from pygments.formatters.terminal import TerminalFormatter\n" in text.split(
        "class")[0]
    assert "    from pygments.lexers.special import TextLexer" in text   # the other one moved
    run = subprocess.run([sys.executable, "-c", "import app, colors; print(colors.make())"],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_a_very_deep_expression_is_scanned_and_rewritten(tmp_path):
    terms = "+".join(["1"] * 600)
    write(tmp_path, {"deep.py": f"import json\nX = {terms}\n"
                                "def f():\n    return json.dumps(X)\n"})
    compile((tmp_path / "deep.py").read_text(), "deep.py", "exec")   # CPython accepts it
    result = lazyaudit("fix", "--select", "json", "--project", tmp_path)
    assert result.code == 0, result
    assert "Traceback" not in result.err
    assert "def f():\n    import json\n" in (tmp_path / "deep.py").read_text()


def test_an_unreadable_folder_is_skipped_with_one_line():
    unprivileged = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run lazyaudit as an unprivileged user")
    probe = subprocess.run([*unprivileged, sys.executable, "-c", "import lazyaudit"],
                           capture_output=True, text=True, cwd="/")
    if probe.returncode:
        pytest.skip(f"the unprivileged user cannot run lazyaudit here: {probe.stderr[-200:]}")
    # pytest's own temporary folders are private to root: a world-readable copy
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        write(project, {"app/mod.py": "import json\ndef f():\n    return json.dumps(1)\n",
                        "locked/secret.py": "import json\n"})
        for path in [project, *project.rglob("*")]:
            path.chmod(0o777 if path.is_dir() else 0o666)
        (project / "locked").chmod(0)
        run = subprocess.run(
            [*unprivileged, sys.executable, "-B", "-m", "lazyaudit", "fix", "--select", "json",
             "--project", project, "--dry-run"], capture_output=True, text=True, cwd="/")
        (project / "locked").chmod(0o777)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "lazyaudit: locked: cannot read (Permission denied)" in run.stderr
    assert "+    import json" in run.stdout


def test_a_submodule_the_package_loads_itself_keeps_nothing_eager(tmp_path):
    # tests/test_worker.py reaches concurrent.futures._base, but its own import of
    # concurrent.futures loads it: deferring worker's import breaks nothing.
    write(tmp_path, {
        "worker.py": "import concurrent.futures\n\n"
                     "def pool():\n    return concurrent.futures.ThreadPoolExecutor\n",
        "tests/test_worker.py": "import concurrent.futures\n\n"
                                "FUTURE = concurrent.futures._base.Future\n",
        "app.py": "import worker\n"})
    result = lazyaudit("fix", "--module", "app", "--project", tmp_path, "--min-savings", "0",
                       "--no-tracemalloc", "--format", "json", "--all")
    assert result.code == 0, result
    assert [change["file"] for change in result.json()["changes"]] == ["worker.py"], result.out
