"""lazyaudit's own startup stays lean: no libcst for --help or measure."""

import subprocess
import sys

HEAVY = ("libcst", "tabulate", "importlib_metadata")


def imported_modules(*args, cwd):
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "lazyaudit", *args],
                         capture_output=True, text=True, cwd=cwd)
    return run, {line.split("|")[-1].strip() for line in run.stderr.splitlines()
                 if line.startswith("import time:")}


def test_help_imports_nothing_heavy(tmp_path):
    run, modules = imported_modules("--help", cwd=tmp_path)
    assert run.returncode == 0
    assert "measure" in run.stdout
    assert not {name for name in modules if name.split(".")[0] in HEAVY}


def test_measure_never_imports_libcst(tmp_path):
    run, modules = imported_modules("measure", "-m", "json", "--no-tracemalloc", cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "tabulate" in modules                      # the table was really rendered
    assert not {name for name in modules if name.split(".")[0] == "libcst"}
