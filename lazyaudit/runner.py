"""Every start of another interpreter: the probe in a fresh subprocess of the target's
interpreter (always ended), a question to that interpreter, the project's test command.

The probe runs in a session (and process group) of its own. Its own exit ends the
boot, not the end of its output: a process the target starts inherits that output
and may keep it open for ever, so the output goes to files. A boot out of time is
interrupted (the probe then says where it was) and then killed. Whatever happens,
the whole process group is stopped, and what the target left running is named.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LazyauditError
from .interrupts import raise_if_signalled
from .progress import BootDisplay, BootProgress
from .target import Target

PROBE = Path(__file__).parent / "probe" / "probe.py"
TARGET_FAILED = 3     # the probe's exit code when the target raised during boot
PROBE_FAILED = 4      # ... when the probe itself failed (its traceback is beside the report)
GRACE = 3.0           # seconds an interrupted probe has to say where the boot was
TICK = 0.1            # seconds between two looks at the probe
LAZYAUDITS_FAULT = "this is a bug in lazyaudit, not in the project: please report it"


class BootError(LazyauditError):
    """The target did not boot. `details` holds its traceback or output."""



@dataclass(slots=True)
class Run:
    """How one run of the probe ended."""

    code: int | None                  # its exit status; None if it had to be killed
    timed_out: bool
    output: str                       # its standard output and error
    progress: BootProgress | None     # its last progress line
    left_running: list[tuple[int, str]] = field(default_factory=list)   # pid, command
    document: dict | None = None
    probe_error: str = ""


def run_probe(target: Target, *, tracemalloc: bool, timeout: float | None = None,
              display: BootDisplay | None = None, extra: dict | None = None,
              what: str | None = None) -> dict:
    """Boot the target once and return the probe's raw document; `extra` adds to the
    probe's config (`requests`: send requests after the boot)."""
    display = display or BootDisplay(sys.stderr)
    what = what or target.describe() + (" under tracemalloc" if tracemalloc else "")
    run = run_once(target, {**target.probe_config(tracemalloc), **(extra or {})}, timeout,
                   display, what)
    if run.timed_out:
        raise timeout_error(target, timeout, run)
    if run.code == PROBE_FAILED:
        raise BootError(f"lazyaudit's probe failed while booting {target.describe()}; "
                        f"{LAZYAUDITS_FAULT}", _join(run.probe_error, run.output))
    if run.code == 0 and run.document is not None:
        return run.document
    failure = boot_failure(target, run)
    raise check_without_probe(target, failure, timeout, display)


def run_once(target: Target, config: dict, timeout: float | None, display: BootDisplay,
             what: str) -> Run:
    """Run the probe with `config` in a scratch folder that is gone when it returns."""
    with tempfile.TemporaryDirectory(prefix="lazyaudit-") as scratch_dir:
        scratch = Path(scratch_dir)
        config_path, output_path = scratch / "config.py", scratch / "report.json"
        read_end, write_end = os.pipe()
        try:
            try:
                # A Python literal: the probe reads it without importing json or ast.
                config_path.write_text(repr({**config, "progress_fd": write_end}),
                                       encoding="utf-8")
            except BaseException:
                os.close(write_end)
                raise
            command = [target.python, str(PROBE), str(config_path), str(output_path)]
            run = _run_in_own_group(command, target, scratch, read_end, write_end,
                                    timeout, display, what)   # closes write_end
        finally:
            os.close(read_end)
        run.document = _read_document(output_path)
        run.probe_error = _read_text(Path(str(output_path) + ".probe-error"))
    return run


def _run_in_own_group(command: list[str], target: Target, scratch: Path, read_end: int,
                      write_end: int, timeout: float | None, display: BootDisplay,
                      what: str) -> Run:
    output_path = scratch / "output.txt"
    with open(output_path, "wb") as output:
        try:
            process = subprocess.Popen(
                command, cwd=target.project, env=_target_env(), stdin=subprocess.DEVNULL,
                stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
                pass_fds=(write_end,))
        except OSError as error:
            raise BootError(f"cannot run {target.python}: {error.strerror}") from None
        finally:
            os.close(write_end)   # the probe's own copy is the one that counts
        display.started.set()
        watcher = _ProgressWatcher(read_end)
        try:
            timed_out = _wait(process, watcher, timeout, display, what)
        finally:
            display.clear()
            left_running = stop_group(process, command)
    if left_running:
        display.warn(f"{target.describe()} left {_count(len(left_running), 'process')} "
                     f"running after the boot, now stopped: "
                     f"{'; '.join(f'pid {pid}: {name}' for pid, name in left_running)}",
                     once=(target.describe(), tuple(name for _, name in left_running)))
    return Run(process.returncode if not timed_out else None, timed_out,
               _last_lines(_read_text(output_path)), watcher.last, left_running)


def _wait(process: subprocess.Popen, watcher: _ProgressWatcher, timeout: float | None,
          display: BootDisplay, what: str) -> bool:
    """Wait for the probe's exit; at the timeout, interrupt it and give it GRACE
    seconds to write where the boot was. True if the timeout came."""
    started = time.monotonic()
    deadline = None if timeout is None else started + timeout
    timed_out = False
    while process.poll() is None:
        raise_if_signalled()
        now = time.monotonic()
        if deadline is not None and now >= deadline:
            if timed_out:
                break           # the grace is over too: stop_group kills it
            timed_out = True
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGINT)
            deadline = now + GRACE
            continue
        step = TICK if deadline is None else min(TICK, deadline - now)
        if watcher.open:
            watcher.wait(step)
        else:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(step)
        if not timed_out:
            display.update(what, watcher.last, time.monotonic() - started)
    return timed_out


class _ProgressWatcher:
    """Reads the probe's progress lines from its pipe; keeps the last one."""

    def __init__(self, fd: int):
        self.fd = fd
        self.started = time.monotonic()
        self.open = True
        self.pending = b""
        self.last: BootProgress | None = None

    def wait(self, seconds: float) -> None:
        """Wait at most `seconds` for a line; `open` is False once every writer is gone."""
        readable, _, _ = select.select([self.fd], [], [], max(seconds, 0))
        if not readable:
            return
        data = os.read(self.fd, 65536)
        if not data:
            self.open = False    # every writer is gone
            return
        *lines, self.pending = (self.pending + data).split(b"\n")
        for line in reversed(lines):
            state = BootProgress.parse(line.decode("utf-8", "replace"))
            if state is not None:
                state.at = time.monotonic() - self.started
                self.last = state
                break


def stop_group(process: subprocess.Popen, command: list[str]) -> list[tuple[int, str]]:
    """Kill the probe's process group; return what was still running in it besides
    the probe itself: (pid, command line)."""
    group = process.pid   # the probe leads its own session and group
    left = [pid for pid in group_members(group) or () if pid != process.pid]
    named = [(pid, _command_line(pid, command)) for pid in left]
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)
    if process.poll() is None:
        process.kill()    # the target moved the probe out of its group (setsid)
    process.wait()
    _wait_until_gone(group)
    return named


def end_group(process: subprocess.Popen, grace: float) -> list[tuple[int, str]]:
    """Stop a server's process group as its operator would: SIGTERM, `grace` seconds
    to finish, then SIGKILL to whatever is left (see stop_group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGTERM)
    end = time.monotonic() + grace
    while time.monotonic() < end and (process.poll() is None or group_members(process.pid)):
        time.sleep(0.05)
    return stop_group(process, [])


def group_members(group: int) -> list[int] | None:
    """Live processes (not zombies) in a process group; None where /proc is missing."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    members = []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue        # it ended meanwhile
        # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses
        fields = stat[stat.rindex(b")") + 2:].split()
        if int(fields[2]) == group and fields[0] not in (b"Z", b"X"):
            members.append(int(entry))
    return members


def _wait_until_gone(group: int, seconds: float = 2.0) -> None:
    """SIGKILL is not instant: wait a little, so that nothing is left when we return."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and group_members(group):
        time.sleep(0.01)


def _command_line(pid: int, probe_command: list[str]) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            words = handle.read().rstrip(b"\0").decode("utf-8", "replace").split("\0")
    except OSError:
        return "?"
    if words == probe_command:
        return "a fork of the booting interpreter"
    text = " ".join(words)
    return text if len(text) <= 80 else text[:77] + "..."


# -- what went wrong ----------------------------------------------------------

def timeout_error(target: Target, timeout: float | None, run: Run) -> BootError:
    """Name what the boot was doing when its time ran out."""
    error = (run.document or {}).get("error") or {}
    where = error.get("where") if error.get("kind") == "interrupted" else None
    message = f"{target.describe()} did not finish booting in {timeout:g} s; "
    details = ""
    if where and (where.get("module") or where.get("location")):
        if where.get("module") == "__main__":
            message += "it was running the script"
        elif where.get("module"):
            message += f"it was importing {where['module']}"
        else:
            message += "it was running"
        if where.get("location"):
            message += f" (at {where['location']})"
        message += f", stage {where.get('stage') or '?'}"
        if where.get("modules") is not None:
            message += f", {_count(where['modules'], 'module')} loaded"
        details = "Where the boot was when it was stopped:\n" + (error.get("traceback") or "")
    elif run.progress is not None:
        message += (f"its last progress report, {run.progress.at:.1f} s into the boot: stage "
                    f"{run.progress.stage}, {_count(run.progress.modules, 'module')} loaded, "
                    f"importing {run.progress.module}")
    else:
        message += "it had not started to import anything"
    return BootError(message, _join(run.output, details))


def boot_failure(target: Target, run: Run) -> BootError:
    """The error of a boot that ended without a report, or with the target's error."""
    error = (run.document or {}).get("error")
    if run.code == TARGET_FAILED and error:
        details = error.get("traceback") or ""
        if "Traceback" not in details:
            details = ""   # the failure is in the probe's own import of the target
        message = f"{target.describe()} failed to boot: {error['message']}"
        hint = python_hint(target, error, run.document)
        return BootError(message + (f"; {hint}" if hint else ""), _join(run.output, details))
    if run.code is not None and run.code < 0:
        ending = f"was killed by {_signal_name(-run.code)}"
    else:
        ending = f"exited with code {run.code}"
    return BootError(f"{target.describe()} failed to boot: the target {ending} during "
                     "startup, before the report was written", run.output.strip())


def python_hint(target: Target, error: dict, document: dict | None) -> str:
    """A third-party package missing from lazyaudit's own interpreter, when no
    --python was given: the project's virtualenv is the likely cure."""
    if not target.default_python:
        return ""
    if error.get("kind") == "django-missing":
        missing = "django"
    elif error.get("missing_module"):
        missing = error["missing_module"].partition(".")[0]
    else:
        return ""
    stdlib = set((document or {}).get("interpreter", {}).get("stdlib_module_names", ()))
    project = Path(target.project)
    if missing in stdlib or (project / f"{missing}.py").exists() or (project / missing).is_dir():
        return ""
    venvs = sorted(_shown_path(python) for python in project.glob("*/bin/python")
                   if (python.parent.parent / "pyvenv.cfg").is_file())
    example = f" (here: --python {venvs[0]})" if venvs else ""
    return (f"{missing} is not installed for {target.python}, lazyaudit's own interpreter "
            f"(no --python was given): pass --python with the project's interpreter, e.g. "
            f"its virtualenv's bin/python{example}")


def _shown_path(path: Path) -> str:
    """A path as short as it is clear: relative to the current directory when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def check_without_probe(target: Target, failure: BootError, timeout: float | None,
                        display: BootDisplay) -> BootError:
    """Boot once more without the probe. If that works, the probe broke the boot."""
    config = {**target.probe_config(False), "plain": True}
    plain = run_once(target, config, timeout, display, target.describe() + " without the probe")
    if plain.timed_out or plain.code != 0:
        return failure
    reason = failure.message.removeprefix(f"{target.describe()} failed to boot: ")
    return BootError(
        f"{target.describe()} failed to boot under lazyaudit's probe ({reason}), but "
        f"boots without it; {LAZYAUDITS_FAULT}",
        _join("Under lazyaudit's probe:", failure.details,
              "\nWithout the probe (the same boot in a plain interpreter): it booted.",
              plain.output))


# -- small helpers ------------------------------------------------------------

def _read_document(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _last_lines(text: str, keep: int = 200) -> str:
    """The end of the target's output: a chatty boot must not bury its traceback."""
    lines = text.splitlines()
    if len(lines) <= keep:
        return text
    return "\n".join([f"[{len(lines) - keep} earlier lines of the target's output left out]"]
                     + lines[-keep:])


def _join(*parts: str) -> str:
    return "\n".join(part.rstrip() for part in parts if part and part.strip())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "es" if noun.endswith("s") else "s")


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _target_env() -> dict[str, str]:
    env = dict(os.environ)
    # These would change what is measured: tracemalloc is started by the probe itself.
    for name in ("PYTHONTRACEMALLOC", "PYTHONPROFILEIMPORTTIME", "PYTHONINSPECT"):
        env.pop(name, None)
    return env


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
