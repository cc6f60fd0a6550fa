"""Every start of another interpreter: the probe in a fresh subprocess of the target's
interpreter, a question to that interpreter, the project's test command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import LazyauditError
from .target import Target

PROBE = Path(__file__).parent / "probe" / "probe.py"
TARGET_FAILED = 3     # the probe's exit code when the target raised during boot


class BootError(LazyauditError):
    """The target did not boot. `details` holds its traceback or output."""


def run_probe(target: Target, *, tracemalloc: bool, timeout: float | None = None) -> dict:
    """Boot the target once and return the probe's raw document."""
    with tempfile.TemporaryDirectory(prefix="lazyaudit-") as scratch:
        config_path = Path(scratch) / "config.py"
        output_path = Path(scratch) / "report.json"
        # A Python literal: the probe reads it without importing json or ast.
        config_path.write_text(repr(target.probe_config(tracemalloc)), encoding="utf-8")
        command = [target.python, str(PROBE), str(config_path), str(output_path)]
        try:
            finished = subprocess.run(command, cwd=target.project, env=_target_env(),
                                      stdin=subprocess.DEVNULL, capture_output=True,
                                      text=True, errors="replace", timeout=timeout)
        except subprocess.TimeoutExpired as expired:
            raise BootError(f"{target.describe()} did not finish booting in {timeout:g} s",
                            _text(expired.stderr)) from None
        except OSError as error:
            raise BootError(f"cannot run {target.python}: {error.strerror}") from None
        document = _read_document(output_path)

    if finished.returncode == TARGET_FAILED and document and document.get("error"):
        error = document["error"]
        details = error.get("traceback") or ""
        if "Traceback" not in details:
            details = ""   # the failure is in the probe's own import of the target
        if finished.stderr.strip():
            details = finished.stderr.rstrip() + "\n" + details
        raise BootError(f"{target.describe()} failed to boot: {error['message']}", details)
    if finished.returncode != 0 or document is None:
        raise BootError(
            f"{target.describe()} exited with code {finished.returncode} before the report "
            "was written", (finished.stdout + finished.stderr).strip())
    return document


def _read_document(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _target_env() -> dict[str, str]:
    env = dict(os.environ)
    # These would change what is measured: tracemalloc is started by the probe itself.
    for name in ("PYTHONTRACEMALLOC", "PYTHONPROFILEIMPORTTIME", "PYTHONINSPECT"):
        env.pop(name, None)
    return env


def _text(data) -> str:
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    return data or ""


def python_version(python: str | None) -> str:
    """'3.12' for an interpreter (this one when None)."""
    if not python:
        return "%d.%d" % sys.version_info[:2]
    try:
        return subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60,
                              check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        raise LazyauditError(f"cannot run --python {python}") from None


def run_tests(command: str, cwd: Path, python: str) -> bool:
    """Run the project's test command in a shell where `python` is the target's
    interpreter; True when it passed. Its output goes to the user's terminal."""
    bin_dir = str(Path(python).absolute().parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run(command, shell=True, cwd=cwd, env=env).returncode == 0
