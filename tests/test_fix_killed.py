"""A `fix` killed while it writes leaves every file either as it was or complete, and
the next run removes its temporary files."""

import os
import shutil
import signal
import subprocess
import sys
import time

from conftest import ROOT, lazyaudit

MODULES = 300


def make_project(root):
    root.mkdir()
    for number in range(MODULES):
        (root / f"mod_{number:03}.py").write_text(
            f'"""Module {number}."""\nimport json\n\n\ndef dump():\n'
            f'    return json.dumps({{"n": {number}}})\n')
    return root


def contents(root):
    return {path.name: path.read_bytes() for path in sorted(root.glob("mod_*.py"))}


def kill_while_writing(project):
    """Start fix and SIGKILL it as soon as the first file has changed."""
    before = {path: path.stat().st_mtime_ns for path in project.glob("mod_*.py")}
    process = subprocess.Popen([sys.executable, "-m", "lazyaudit", "fix", "--select", "json",
                                "--project", project], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if any(path.stat().st_mtime_ns != mtime for path, mtime in before.items()):
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.001)
    finally:
        process.kill()
        process.wait()
    return process.returncode


def test_a_killed_fix_leaves_whole_files_and_the_next_run_cleans_up(tmp_path):
    original = make_project(tmp_path / "original")
    fixed = tmp_path / "fixed"
    shutil.copytree(original, fixed)
    assert lazyaudit("fix", "--select", "json", "--project", fixed).code == 0
    before, after = contents(original), contents(fixed)
    assert all(before[name] != after[name] for name in before)

    project = tmp_path / "killed"
    shutil.copytree(original, project)
    assert kill_while_writing(project) == -signal.SIGKILL
    now = contents(project)
    assert all(now[name] in (before[name], after[name]) for name in now), \
        "a file was left half-written"
    written = sum(now[name] == after[name] for name in now)
    assert 0 < written < MODULES, "the kill did not fall among the writes"

    # A temporary file as a kill between creating and renaming one leaves it, besides
    # any the kill above left.
    (project / ".mod_000.py.k1l3d.lazyaudit").write_bytes(after["mod_000.py"][:10])
    left = len(list(project.glob(".*.lazyaudit")))
    files = f"{left} temporary file{'s' if left > 1 else ''} an interrupted fix left"
    check = lazyaudit("fix", "--select", "json", "--project", project, "--check")
    assert files in check.err, check
    assert (project / ".mod_000.py.k1l3d.lazyaudit").exists()     # --check writes nothing
    again = lazyaudit("fix", "--select", "json", "--project", project)
    assert again.code == 0, again
    assert f"removed {files}" in again.err
    assert contents(project) == after
    assert not [name for name in os.listdir(project) if name.endswith(".lazyaudit")]
