"""Every boot ends, stops what it started, and says truthfully why it failed."""

import io
import os
import pty
import select
import signal
import subprocess
import sys
import textwrap
import time
import weakref
from pathlib import Path

import pytest

from conftest import ROOT, lazyaudit
from lazyaudit import interrupts, runner
from lazyaudit.progress import BootDisplay
from test_errors import assert_one_line_error, django_project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def alive(pid: int) -> bool:
    """A process that still runs (a zombie waiting to be reaped does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def group_alive(group: int) -> list[int]:
    """The live members of a process group."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] not in ("Z", "X"):
                members.append(int(entry))
    return members


def pids_written_by_target(path: Path) -> str:
    """Code for a target: write its own pid and those given, atomically, to `path`."""
    return textwrap.dedent(f"""\
        def _tell(*pids):
            import os
            with open({str(path) + '.tmp'!r}, "w") as handle:
                handle.write(" ".join(str(pid) for pid in (os.getpid(),) + pids))
            os.replace({str(path) + '.tmp'!r}, {str(path)!r})
        """)


def read_pids(path: Path) -> list[int]:
    return [int(word) for word in path.read_text().split()]


def test_background_process_started_at_import_does_not_hold_the_boot(tmp_path):
    pids = tmp_path / "pids"
    write(tmp_path / "starts_server.py", pids_written_by_target(pids) + """\
import subprocess
server = subprocess.Popen(["sleep", "300"])
_tell(server.pid)
import json
""")
    # Before, lazyaudit waited for the end of the probe's output, which the
    # sleeper holds: until the timeout (600 s), far beyond this test's.
    result = lazyaudit("measure", "-m", "starts_server", "--project", tmp_path, "--no-rank",
                       "--format", "json", timeout=120)
    assert result.code == 0, result
    assert {"starts_server", "json"} <= {m["name"] for m in result.json()["modules"]}
    probe, server = read_pids(pids)     # of the second boot (the tracemalloc run)
    warnings = result.err.splitlines()
    # Both boots left a sleeper; the same warning is given once.
    assert len(warnings) == 1, result
    assert warnings[0].startswith("lazyaudit: warning: module:starts_server left 1 process "
                                  "running after the boot, now stopped: pid "), result
    assert warnings[0].endswith(": sleep 300"), result
    assert not alive(server)
    assert not group_alive(probe)


def test_forked_sleeper_does_not_hold_the_boot(tmp_path):
    pids = tmp_path / "pids"
    write(tmp_path / "forks.py", pids_written_by_target(pids) + """\
import os, time
child = os.fork()
if child == 0:
    time.sleep(300)
    os._exit(0)
_tell(child)
import json
""")
    result = lazyaudit("measure", "-m", "forks", "--project", tmp_path, "--no-rank",
                       "--format", "json", "--no-tracemalloc", timeout=120)
    assert result.code == 0, result
    assert "forks" in {m["name"] for m in result.json()["modules"]}
    probe, child = read_pids(pids)
    assert f"pid {child}: a fork of the booting interpreter" in result.err
    assert not alive(child)
    assert not group_alive(probe)


def test_exit_0_during_a_module_boot_is_a_failed_boot(tmp_path):
    write(tmp_path / "quits.py", "import sys\nsys.exit(0)\n")
    result = lazyaudit("measure", "-m", "quits", "--project", tmp_path, "--no-tracemalloc")
    assert_one_line_error(result, "module:quits failed to boot",
                          "the target exited during startup")
    assert 'quits.py", line 2' in result.err


def test_exit_0_during_a_django_boot_is_a_failed_boot(tmp_path):
    django_project(tmp_path, urls="import sys\nsys.exit(0)\n")
    result = lazyaudit("measure", "--project", tmp_path, "--no-tracemalloc")
    assert_one_line_error(result, "django:site_cfg.settings failed to boot",
                          "the target exited during startup")
    assert 'site_cfg/urls.py", line 2' in result.err


def test_exit_0_ends_a_script_normally(tmp_path):
    write(tmp_path / "tool.py", "import decimal, sys\nsys.exit(0)\nimport tarfile\n")
    result = lazyaudit("measure", "--script", "tool.py", "--project", tmp_path,
                       "--format", "json", "--no-tracemalloc")
    assert result.code == 0, result
    names = {m["name"] for m in result.json()["modules"]}
    assert "decimal" in names and "tarfile" not in names


def test_target_that_clears_sys_modules(tmp_path):
    write(tmp_path / "wipes.py", "import sys, decimal\nsys.modules.clear()\n")
    result = lazyaudit("measure", "--script", "wipes.py", "--project", tmp_path,
                       "--format", "json", "--no-tracemalloc")
    assert result.code == 0, result      # the probe's teardown still writes the report
    assert "decimal" in {m["name"] for m in result.json()["modules"]}
    # Imported as a module, the import system itself fails on it, as without lazyaudit:
    # the target's failure, not lazyaudit's.
    write(tmp_path / "wiped.py", "import sys\nsys.modules.clear()\n")
    result = lazyaudit("measure", "-m", "wiped", "--project", tmp_path, "--no-tracemalloc")
    assert_one_line_error(result, "module:wiped failed to boot: KeyError: 'wiped'")
    assert "lazyaudit's" not in result.err


def test_target_that_deletes_importlib(tmp_path):
    write(tmp_path / "unimport.py", "import importlib, sys\ndel sys.modules['importlib']\n")
    result = lazyaudit("measure", "-m", "unimport", "--project", tmp_path, "--format", "json")
    assert result.code == 0, result
    assert "unimport" in {m["name"] for m in result.json()["modules"]}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_to_lazyaudit_during_a_boot_leaves_nothing_behind(tmp_path, signum):
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    pids = tmp_path / "pids"
    write(tmp_path / "project" / "hangs.py", pids_written_by_target(pids) + """\
import subprocess, time
helper = subprocess.Popen(["sleep", "300"])
_tell(helper.pid)
time.sleep(300)
""")
    process = subprocess.Popen(
        [sys.executable, "-m", "lazyaudit", "measure", "-m", "hangs", "--project",
         str(tmp_path / "project")], cwd=ROOT, env={**os.environ, "TMPDIR": str(private_tmp)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):
            if pids.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        assert pids.exists(), process.communicate()
        assert list(private_tmp.glob("lazyaudit-*"))      # the boot's scratch folder, meanwhile
        process.send_signal(signum)
        out, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == (128 + signal.SIGTERM if signum == signal.SIGTERM else 1), err
    assert not list(private_tmp.glob("lazyaudit-*"))
    probe, helper = read_pids(pids)
    assert not alive(probe) and not alive(helper)
    assert not group_alive(probe)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_signal_whose_exception_python_swallowed_still_ends_the_wait():
    # Python swallows an exception raised in a weakref callback, as it does when Ctrl-C
    # comes while importlib's module-lock callback runs: the wait must raise it again.
    class Thing:
        pass

    thing = Thing()
    _ = weakref.ref(thing, lambda ref: os.kill(os.getpid(), signal.SIGINT) or sum(range(9)))
    sleeper = subprocess.Popen(["sleep", "30"])
    nothing = os.open(os.devnull, os.O_RDONLY)
    try:
        with pytest.raises(KeyboardInterrupt), interrupts.ending_on_signals():
            del thing      # the callback runs, the handler raises inside it, Python swallows
            runner._wait(sleeper, runner._ProgressWatcher(nothing), 10,
                         BootDisplay(io.StringIO()), "sleep")
    finally:
        os.close(nothing)
        sleeper.kill()
        sleeper.wait()


def test_a_signal_that_comes_while_importlib_runs_is_delivered_after_it():
    # Raised inside importlib's own code, the exception could leave the import lock taken.
    finished = []
    code = compile("import os, signal, time\n"
                   "os.kill(os.getpid(), signal.SIGINT)\n"
                   "end = time.monotonic() + 0.2\n"
                   "while time.monotonic() < end: pass\n"
                   "finished.append(True)\n", "<frozen importlib._bootstrap>", "exec")
    with pytest.raises(KeyboardInterrupt), interrupts.ending_on_signals():
        exec(code, {"finished": finished})
        time.sleep(5)
    assert finished == [True]


def test_timeout_names_what_the_boot_was_doing(tmp_path):
    pids = tmp_path / "pids"
    write(tmp_path / "slow.py", "import json\nimport slow_dependency\n")
    write(tmp_path / "slow_dependency.py", pids_written_by_target(pids) + """\
import subprocess, time
helper = subprocess.Popen(["sleep", "300"])
_tell(helper.pid)
def connect():
    time.sleep(300)
connect()
""")
    result = lazyaudit("measure", "-m", "slow", "--project", tmp_path, "--timeout", "2")
    assert_one_line_error(result, "module:slow did not finish booting in 2 s; it was "
                          "importing slow_dependency (at ", "slow_dependency.py:10 in connect)",
                          "stage import")
    assert "Where the boot was when it was stopped:" in result.err
    probe, helper = read_pids(pids)
    assert f"pid {helper}: sleep 300" in result.err   # what it left running, now stopped
    assert not alive(probe) and not alive(helper)
    assert not group_alive(probe)


def test_timeout_of_a_boot_that_ignores_the_interrupt(tmp_path):
    write(tmp_path / "stubborn.py", """\
        import signal, time
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        import decimal
        time.sleep(300)
        """)
    result = lazyaudit("measure", "-m", "stubborn", "--project", tmp_path, "--timeout", "1")
    assert_one_line_error(result, "module:stubborn did not finish booting in 1 s; its last "
                          "progress report, ", " s into the boot: stage import, ",
                          "importing stubborn")


def test_probe_failure_is_reported_as_lazyaudits(tmp_path):
    # A target that leaves a stand-in for json behind: the probe needs json to
    # write its report, and fails. That failure is lazyaudit's, never the target's.
    write(tmp_path / "shim.py",
          "import sys, types\nsys.modules['json'] = types.ModuleType('json')\n")
    result = lazyaudit("measure", "-m", "shim", "--project", tmp_path, "--no-tracemalloc")
    assert_one_line_error(result, "lazyaudit's probe failed while booting module:shim",
                          "bug in lazyaudit, not in the project")
    assert "failed to boot:" not in result.err
    assert "probe.py" in result.err and "in write_document" in result.err   # its own traceback
    assert "AttributeError" in result.err


def test_boot_that_fails_only_under_the_probe_is_lazyaudits_fault(tmp_path):
    write(tmp_path / "picky.py", """\
        import tracemalloc
        if tracemalloc.is_tracing():
            raise RuntimeError("refusing to start while traced")
        """)
    result = lazyaudit("measure", "-m", "picky", "--project", tmp_path)
    assert_one_line_error(result, "module:picky failed to boot under lazyaudit's probe "
                          "(RuntimeError: refusing to start while traced), but boots without it",
                          "bug in lazyaudit")
    under, without = result.err.split("Without the probe")
    assert "Under lazyaudit's probe:" in under and 'picky.py", line 3' in under
    assert "it booted" in without


def test_missing_third_party_package_hints_at_python(tmp_path):
    write(tmp_path / "shop.py", "import json\nimport stripe_sdk_not_installed\n")
    venv_python = tmp_path / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    venv_python.symlink_to(sys.executable)
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    result = lazyaudit("measure", "-m", "shop", "--project", tmp_path, "--no-tracemalloc",
                       cwd=tmp_path)
    assert_one_line_error(result, "No module named 'stripe_sdk_not_installed'",
                          "stripe_sdk_not_installed is not installed for",
                          "pass --python with the project's interpreter",
                          "(here: --python .venv/bin/python)")
    # With --python, the interpreter was chosen: no hint.
    chosen = lazyaudit("measure", "-m", "shop", "--project", tmp_path, "--no-tracemalloc",
                       "--python", sys.executable)
    assert_one_line_error(chosen, "No module named 'stripe_sdk_not_installed'")
    assert "--python" not in chosen.err
    # A module of the project itself that is missing: not a question of interpreters.
    write(tmp_path / "shop.py", "import shop_parts.missing\n")
    write(tmp_path / "shop_parts" / "__init__.py", "")
    own = lazyaudit("measure", "-m", "shop", "--project", tmp_path, "--no-tracemalloc")
    assert_one_line_error(own, "No module named 'shop_parts.missing'")
    assert "--python" not in own.err


def run_in_terminal(*args) -> str:
    """Run lazyaudit with a terminal as its stdout and stderr; return all it wrote."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "lazyaudit", *map(str, args)], cwd=ROOT,
                               stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
                               env={**os.environ, "COLUMNS": "200"})
    os.close(follower)
    written = b""
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 120)
            assert ready, "lazyaudit wrote nothing for 120 s"
            try:
                data = os.read(leader, 4096)
            except OSError:     # EIO: every writer is gone
                break
            if not data:
                break
            written += data
    finally:
        os.close(leader)
        process.wait(timeout=60)
    assert process.returncode == 0, written
    return written.decode("utf-8", "replace")


def test_progress_line_on_a_terminal_only(tmp_path):
    # The boot takes longer than a second, so the progress line shows.
    write(tmp_path / "slow_boot.py", "import time\ntime.sleep(2.5)\nimport decimal\n")
    command = ("measure", "-m", "slow_boot", "--project", tmp_path, "--no-tracemalloc",
               "--no-rank")
    shown = run_in_terminal(*command)
    assert "\rbooting module:slow_boot: stage import, " in shown
    assert " modules loaded, " in shown
    assert "\r\x1b[K" in shown                  # the line is cleared before the table
    assert "slow_boot" in shown.split("\r\x1b[K")[-1]
    assert "booting" not in run_in_terminal(*command, "--quiet")
    piped = lazyaudit(*command)
    assert piped.code == 0, piped
    assert "booting" not in piped.err


def test_display_waits_a_second_clears_its_line_and_warns_once():
    import io

    from lazyaudit.progress import BootDisplay, BootProgress

    stream = io.StringIO()
    display = BootDisplay(stream, progress=True)
    state = BootProgress.parse("urls 812 shop.views")
    assert state == BootProgress("urls", 812, "shop.views")
    assert BootProgress.parse("garbage") is None
    display.update("django:shop.settings", state, elapsed=0.5)
    assert stream.getvalue() == ""                      # a short boot shows nothing
    display.update("django:shop.settings", state, elapsed=1.5)
    assert stream.getvalue().startswith("\rbooting django:shop.settings: stage urls, "
                                        "812 modules loaded, 1.5 s")
    display.warn("left 1 process running", once=("sleep 300",))
    display.warn("left 1 process running", once=("sleep 300",))
    assert stream.getvalue().endswith("\r\x1b[Klazyaudit: warning: left 1 process running\n")
    assert stream.getvalue().count("warning") == 1
    quiet = io.StringIO()
    BootDisplay(quiet, progress=False).update("module:x", state, elapsed=5)
    assert quiet.getvalue() == ""
