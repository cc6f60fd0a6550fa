"""One configuration of the server measured from start to stop: start it, read every
process at ready, send the rounds of traffic, read every process after each, stop it.
"""

from __future__ import annotations

import json
import struct
import tempfile
import time
from pathlib import Path

from ..model.workers import Configuration, LateImport, Round, WorkersRun
from ..target import Target
from .memory import memory_available, read_memory
from .server import Server, check_installed, start
from .traffic import Plan, send_round

SETTLE = 0.2     # seconds between the last response and the reading at rest


def measure_configuration(target: Target, configuration: Configuration, plan: Plan, *,
                          requests: int, rounds: int, timeout: float,
                          server_config: str | None = None, settings: str | None = None,
                          memory: int | None = None) -> WorkersRun:
    check_installed(target.python, configuration, target.project)
    available = memory or memory_available()
    with tempfile.TemporaryDirectory(prefix="lazyaudit-workers-") as scratch_dir:
        scratch = Path(scratch_dir)
        config_path = scratch / "config.py"
        config_path.write_text(repr({
            "state": str(scratch / "state"), "kind": target.kind, "value": target.value,
            "asgi": configuration.interface == "asgi", "settings": settings,
            "warm_urls": configuration.warm_urls, "gc_freeze": configuration.gc_freeze,
            "server_config": server_config,
        }), encoding="utf-8")
        server = start(target.python, target.project, configuration, scratch, config_path,
                       timeout)
        try:
            return _drive(server, plan, requests, rounds, available)
        finally:
            server.stop()


def _drive(server: Server, plan: Plan, requests: int, rounds: int,
           available: int | None) -> WorkersRun:
    configuration = server.configuration
    connections = configuration.workers * (configuration.threads or 1) + 1
    checkpoints = [_checkpoint(server, 0, 0, 0.0, {}, [])]
    sent = 0
    for index in range(1, rounds + 1):
        count = requests // rounds + (1 if index <= requests % rounds else 0)
        result = send_round(server.port, plan, count, connections, start=sent)
        sent += count
        time.sleep(SETTLE)
        checkpoints.append(_checkpoint(server, index, count, result.seconds,
                                       dict(sorted(result.statuses.items())),
                                       [p.pid for p in checkpoints[-1].workers]))
    statuses = _read_statuses(server)
    run = WorkersRun(configuration, checkpoints, _late_imports(statuses),
                     memory_available=available)
    run.warnings = _warnings(run, statuses)
    return run


def _checkpoint(server: Server, index: int, count: int, seconds: float,
                statuses: dict[str, int], before: list[int]) -> Round:
    served = {pid: status["requests"] for pid, status in _read_statuses(server).items()}
    workers = set(server.worker_pids())
    processes = []
    for pid in server.processes():
        role = ("worker" if pid in workers else
                "master" if pid == server.pid else "other")
        memory = read_memory(pid, role)
        if memory is not None:
            if role == "worker":
                memory.requests = served.get(pid, 0)
            processes.append(memory)
    now = [process.pid for process in processes if process.role == "worker"]
    return Round(index, count, seconds, statuses, processes,
                 started=[pid for pid in now if pid not in before] if index else [],
                 ended=[pid for pid in before if pid not in now])


def _read_statuses(server: Server) -> dict[int, dict]:
    """pid -> {"requests", "late"} of every process that loaded lazyaudit's wrapper."""
    statuses = {}
    for path in server.state.glob("*.json"):
        try:
            status = json.loads(path.read_text(encoding="utf-8"))
            counter = path.with_suffix(".count").read_bytes()
        except (OSError, ValueError):
            continue     # being replaced right now: the next reading has it
        status["requests"] = struct.unpack("q", counter[:8])[0] if len(counter) >= 8 else 0
        statuses[int(path.stem)] = status
    return statuses


def _late_imports(statuses: dict[int, dict]) -> list[LateImport]:
    return [LateImport(pid, late["path"], late["modules"], late["anon_bytes"])
            for pid, status in sorted(statuses.items()) for late in status.get("late", ())]


def _warnings(run: WorkersRun, statuses: dict[int, dict]) -> list[str]:
    warnings = []
    idle = [process.pid for process in run.last.workers if not process.requests]
    if idle:
        warnings.append(f"{len(idle)} worker{'s' if len(idle) != 1 else ''} served no "
                        f"request (pid {', '.join(map(str, idle))}): the traffic did not "
                        "reach every worker, so their figures are those of an idle worker")
    counts: dict[str, int] = {}
    for round_ in run.rounds:
        for status, number in round_.statuses.items():
            counts[status] = counts.get(status, 0) + number
    total = sum(counts.values())
    failed = sum(number for status, number in counts.items()
                 if status == "error" or status >= "400")
    if total and failed * 2 > total:
        warnings.append(f"MOST REQUESTS FAILED: {failed} of {total} got an error or a 4xx/5xx "
                        "status; the figures are those of a server answering errors")
    respawned = sum(len(round_.started) for round_ in run.rounds[1:])
    if respawned:
        warnings.append(f"{respawned} worker{'s' if respawned != 1 else ''} started during "
                        "the traffic (a worker died or was recycled): each round counts the "
                        "workers alive at its end")
    return warnings

