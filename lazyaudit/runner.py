"""Run the probe in a fresh subprocess of the target's interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from .target import Target

PROBE = Path(__file__).parent / "probe" / "probe.py"
TARGET_FAILED = 3     # the probe's exit code when the target raised during boot


class BootError(Exception):
    """The target did not boot. `details` holds its traceback or output."""

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details


def run_probe(target: Target, *, tracemalloc: bool, defer: tuple[str, ...] = (),
              timeout: float | None = None) -> dict:
    """Boot the target once and return the probe's raw document."""
    with tempfile.TemporaryDirectory(prefix="lazyaudit-") as scratch:
        config_path = Path(scratch) / "config.py"
        output_path = Path(scratch) / "report.json"
        # A Python literal: the probe reads it without importing json or ast.
        config_path.write_text(repr(target.probe_config(tracemalloc, defer)), encoding="utf-8")
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
