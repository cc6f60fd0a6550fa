"""The import edges read from source: which statements run at import time, how names
resolve, and the cache that keeps parsing off repeated runs."""

import textwrap

from lazyaudit.source_edges import source_edges

LOADED = {"pkg", "pkg.sub", "pkg.other", "pkg.deep", "pkg.deep.leaf", "json", "csv",
          "tomllib", "tomli", "ctypes", "msvcrt", "decimal", "fractions"}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return str(path)


def test_statements_that_run_at_import_resolved_to_loaded_modules(tmp_path):
    leaf = write(tmp_path / "pkg" / "deep" / "leaf.py", """\
        import sys, os
        from .. import sub, other
        from ..sub import name
        from . import missing_name
        import json as j
        if sys.version_info >= (3, 11):
            import tomllib
        else:
            import tomli
        if sys.platform == "win32" or os.name == "nt":
            import msvcrt
        try:
            import ctypes
        except ImportError:
            import csv
        class Config:
            import decimal
        lazy import fractions
        """)
    edges = source_edges([("pkg.deep.leaf", leaf)], LOADED, (3, 12, 0), tmp_path / "cache")
    assert {imported: line for (_, imported), (_, line) in edges.items()} == {
        "pkg": 2, "pkg.sub": 2, "pkg.other": 2, "pkg.deep": 4, "json": 5, "tomllib": 7,
        "ctypes": 13, "decimal": 17}
    older = source_edges([("pkg.deep.leaf", leaf)], LOADED, (3, 10, 4), tmp_path / "cache")
    assert ("pkg.deep.leaf", "tomli") in older and ("pkg.deep.leaf", "tomllib") not in older


def test_a_package_resolves_relative_imports_from_itself(tmp_path):
    init = write(tmp_path / "pkg" / "__init__.py", "from . import sub\nfrom .sub import x\n")
    edges = source_edges([("pkg", init)], LOADED, (3, 12, 0), tmp_path / "cache")
    assert edges == {("pkg", "pkg.sub"): (init, 1)}


def test_the_cache_follows_changes_of_the_file(tmp_path):
    module = write(tmp_path / "mod.py", "import json\n")
    cache = tmp_path / "cache"
    assert set(source_edges([("mod", module)], LOADED, (3, 12, 0), cache)) == {("mod", "json")}
    assert list(cache.iterdir())      # written for the next run
    write(tmp_path / "mod.py", "import csv\n")
    assert set(source_edges([("mod", module)], LOADED, (3, 12, 0), cache)) == {("mod", "csv")}


def test_missing_files_and_extension_modules_give_no_edges(tmp_path):
    edges = source_edges([("gone", str(tmp_path / "gone.py")),
                          ("ext", str(tmp_path / "ext.so"))], LOADED, (3, 12, 0),
                         tmp_path / "cache")
    assert edges == {}


def test_syntax_newer_than_this_python_still_gives_the_top_level_imports(tmp_path):
    # `type` statements are Python 3.12+: lazyaudit may run on an older Python.
    module = write(tmp_path / "pkg" / "newer.py", """\
        import json, csv as spreadsheet
        from . import sub
        type Alias = list[int]
        def later():
            import decimal
        """)
    edges = source_edges([("pkg.newer", module)], LOADED, (3, 12, 0), tmp_path / "cache")
    assert {imported: line for (_, imported), (_, line) in edges.items()} == {
        "json": 1, "csv": 1, "pkg": 2, "pkg.sub": 2}


def test_each_interpreter_has_a_cache_of_its_own(tmp_path):
    # One file for every project ever measured grew to megabytes, read on every boot.
    module = write(tmp_path / "mod.py", "import json\n")
    cache = tmp_path / "cache"
    for python in ("/srv/shop/.venv/bin/python", "/srv/blog/.venv/bin/python"):
        assert set(source_edges([("mod", module)], LOADED, (3, 12, 0), cache, python)) == {
            ("mod", "json")}
    assert len(list(cache.iterdir())) == 2
