"""Start the real server on the target, know when every worker is ready, and stop it.

lazyaudit binds the listening socket itself on 127.0.0.1 and hands it over
(gunicorn `fd://`, uvicorn `--fd`), so no other program can take the port in
between; granian cannot take a socket, so it gets a free port and, if another
program took it meanwhile, another. The server runs in a session of its own and is
always stopped: SIGTERM to its process group, then SIGKILL (runner.end_group).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LazyauditError
from ..model.workers import Configuration
from ..runner import end_group, group_members

HOOKS = Path(__file__).parent / "hooks"
GUNICORN_CLASSES = {"sync": "sync", "gthread": "gthread",
                    "uvicorn": "uvicorn_worker.UvicornWorker"}
# The module each server (or worker class) needs in the target's environment.
NEEDS = {"gunicorn": "gunicorn", "uvicorn": "uvicorn", "granian": "granian"}
GRACE = 10.0        # seconds a server has to stop after SIGTERM
PORT_TRIES = 5      # granian: ports tried when another program takes ours first
PR_SET_PDEATHSIG = 1


class ServerError(LazyauditError):
    """The server is missing, failed to start, or no worker became ready."""


@dataclass(slots=True)
class Server:
    """A running server: its master process and where its workers report."""

    process: subprocess.Popen
    configuration: Configuration
    port: int
    state: Path                    # the folder of the workers' status files
    log: Path                      # the server's standard output and error
    single_process: bool = False   # uvicorn with one worker: the master serves
    left_running: list[tuple[int, str]] = field(default_factory=list)

    @property
    def pid(self) -> int:
        return self.process.pid

    def processes(self) -> list[int]:
        """The live processes of the server's group (its master first)."""
        members = group_members(self.pid) or []
        return sorted(members, key=lambda pid: (pid != self.pid, pid))

    def worker_pids(self) -> list[int]:
        """The live processes that loaded lazyaudit's wrapper and serve requests."""
        reported = {int(path.stem) for path in self.state.glob("*.json")}
        return [pid for pid in self.processes()
                if pid in reported and (pid != self.pid or self.single_process)]

    def output(self) -> str:
        try:
            lines = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(lines[-60:])

    def stop(self) -> None:
        if self.process.returncode is None or group_members(self.pid):
            self.left_running = end_group(self.process, GRACE)


def check_installed(python: str, configuration: Configuration, cwd: Path) -> None:
    """One line naming the install command when the server is not in the target's env."""
    needed = [NEEDS[configuration.server]]
    if configuration.worker_class == "uvicorn":
        needed.append("uvicorn_worker")
    for module in needed:
        try:
            found = subprocess.run(
                [python, "-c", f"import importlib.util as u; print(u.find_spec({module!r}) "
                               "is not None)"], capture_output=True, text=True, cwd=cwd)
        except OSError as error:
            raise ServerError(f"cannot run {python} in {cwd}: {error.strerror}") from None
        if found.stdout.strip() != "True":
            package = module.replace("_", "-")
            raise ServerError(f"{package} is not installed in the target's environment "
                              f"({python}): {python} -m pip install {package}")


def command(python: str, configuration: Configuration, fd: int | None,
            port: int | None) -> list[str]:
    """The server's command line, serving lazyaudit's wrapper around the app."""
    app = "_lazyaudit_app:application"
    if configuration.server == "gunicorn":
        line = [python, "-m", "gunicorn", "-c", str(HOOKS / "_lazyaudit_gunicorn.py"),
                "--bind", f"fd://{fd}", "--workers", str(configuration.workers),
                "--worker-class", GUNICORN_CLASSES[configuration.worker_class or "sync"],
                "--graceful-timeout", "5", "--log-level", "warning"]
        if configuration.threads:
            line += ["--threads", str(configuration.threads)]
        if configuration.preload:
            line.append("--preload")
        return line + [app]
    if configuration.server == "uvicorn":
        return [python, "-m", "uvicorn", "--fd", str(fd), "--workers",
                str(configuration.workers), "--no-access-log", "--log-level", "warning",
                "--timeout-graceful-shutdown", "5", app]
    line = [python, "-m", "granian", "--interface", configuration.interface,
            "--host", "127.0.0.1", "--port", str(port), "--workers",
            str(configuration.workers), "--log-level", "warning", "--no-ws"]
    if configuration.threads:
        line += ["--blocking-threads", str(configuration.threads)]
    return line + [app]


def start(python: str, project: Path, configuration: Configuration, scratch: Path,
          config_path: Path, timeout: float) -> Server:
    """Start the server and return it once every worker is ready. The caller stops it
    (also when this raises: the Server is then already stopped)."""
    state = scratch / "state"
    state.mkdir(exist_ok=True)
    env = dict(os.environ)
    env["LAZYAUDIT_WORKERS_CONFIG"] = str(config_path)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HOOKS), str(project)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env.pop("GUNICORN_CMD_ARGS", None)   # lazyaudit's options are the ones measured
    for _ in range(PORT_TRIES):
        server = _launch(python, project, configuration, scratch, env)
        try:
            ready = _wait_ready(server, timeout)
        except BaseException:
            server.stop()
            raise
        if ready:
            return server
        server.stop()     # granian's port was taken between our look and its bind
    raise ServerError(f"{configuration.server} found its port taken {PORT_TRIES} times in "
                      "a row")


def _launch(python: str, project: Path, configuration: Configuration, scratch: Path,
            env: dict) -> Server:
    for stale in (scratch / "state").glob("*"):
        stale.unlink()
    log = scratch / "server.log"
    listener = None
    if configuration.server == "granian":
        fd, port = None, _free_port()
    else:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(1024)
        listener.set_inheritable(True)
        fd, port = listener.fileno(), listener.getsockname()[1]
    try:
        with open(log, "wb") as output:
            process = subprocess.Popen(
                command(python, configuration, fd, port), cwd=project, env=env,
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True, pass_fds=(fd,) if fd is not None else (),
                preexec_fn=_ended_with_lazyaudit)
    except OSError as error:
        raise ServerError(f"cannot run {python}: {error.strerror}") from None
    finally:
        if listener is not None:
            listener.close()   # the server holds its own copy
    single = configuration.server == "uvicorn" and configuration.workers == 1
    return Server(process, configuration, port, scratch / "state", log, single)


def _wait_ready(server: Server, timeout: float) -> bool:
    """True once every worker is ready; False if granian found its port taken."""
    wanted = server.configuration.workers
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            output = server.output()
            if server.configuration.server == "granian" and "in use" in output:
                return False
            raise ServerError(f"{server.configuration.name} exited with code "
                              f"{server.process.returncode} before its workers were ready",
                              output)
        if len(server.worker_pids()) >= wanted:
            return True
        if time.monotonic() >= deadline:
            ready = len(server.worker_pids())
            raise ServerError(f"{server.configuration.name}: {ready} of {wanted} workers "
                              f"ready after --timeout {timeout:g} s", server.output())
        time.sleep(0.05)


def _ended_with_lazyaudit() -> None:
    """In the server's master before it runs (Linux): SIGTERM when lazyaudit is gone,
    even if it was killed (SIGKILL runs no cleanup). Its own session keeps it out of
    the terminal's Ctrl-C, which lazyaudit handles; this covers what nothing handles."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass     # not Linux: the usual teardown still runs when lazyaudit can run it


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
