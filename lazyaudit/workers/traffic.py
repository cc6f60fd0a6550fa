"""The traffic `lazyaudit workers` sends: which requests (a Django project's URL
patterns that need no argument, or a file), and rounds of them over loopback with
more concurrent connections than workers, counted by status.
"""

from __future__ import annotations

import http.client
import itertools
import json
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..url_list import URLS_HELPER, Request
from .server import ServerError

REQUEST_TIMEOUT = 120.0     # seconds one response may take (a first hit imports modules)
NO_SUCH_USER = 3            # _lazyaudit_urls.py's exit code for an unknown --user


@dataclass(slots=True)
class Plan:
    """What to send, and the Host header to send it with."""

    requests: list[Request]
    host: str
    origin: str            # where the list came from, for people
    excluded: list[str] = field(default_factory=list)


def django_urls(python: str, project: Path, settings: str, timeout: float,
                user: str | None = None) -> tuple[list[str], str, str | None]:
    """The project's URL paths that need no argument, the first usable ALLOWED_HOSTS,
    and with `user` the cookie of a session logged in as that user."""
    with tempfile.TemporaryDirectory(prefix="lazyaudit-urls-") as scratch:
        output = Path(scratch) / "urls.json"
        try:
            done = subprocess.run([python, str(URLS_HELPER), settings,
                                   str(output)] + ([user] if user else []), cwd=project,
                                  capture_output=True, text=True, timeout=timeout,
                                  start_new_session=True)
        except subprocess.TimeoutExpired:
            raise ServerError(f"reading the URL patterns of {settings} took more than "
                              f"{timeout:g} s") from None
        except OSError as error:
            raise ServerError(f"cannot run {python}: {error.strerror}") from None
        if done.returncode == NO_SUCH_USER:
            raise UsageError(f"--user {user}: {done.stderr.strip().splitlines()[-1]}")
        if done.returncode != 0:
            raise ServerError(f"cannot read the URL patterns of {settings}",
                              (done.stdout + done.stderr)[-4000:])
        document = json.loads(output.read_text(encoding="utf-8"))
    return document["paths"], document["host"], document.get("cookie")


@dataclass(slots=True)
class RoundResult:
    sent: int
    seconds: float
    statuses: Counter


def send_round(port: int, plan: Plan, count: int, connections: int,
               start: int = 0) -> RoundResult:
    """Send `count` requests, cycling through the plan from `start`, over `connections`
    concurrent connections; count the responses by status ("error": no response)."""
    order = itertools.islice(itertools.cycle(plan.requests), start % len(plan.requests),
                             start % len(plan.requests) + count)
    lock = threading.Lock()
    statuses: Counter = Counter()

    def client():
        while True:
            with lock:
                request = next(order, None)
            if request is None:
                return
            status = _send(port, plan.host, request)
            with lock:
                statuses[status] += 1

    threads = [threading.Thread(target=client, daemon=True) for _ in range(connections)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return RoundResult(count, time.perf_counter() - began, statuses)


def _send(port: int, host: str, request: Request) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        headers = {"Host": host, "Connection": "close", **dict(request.headers)}
        connection.request(request.method, request.path, body=request.body, headers=headers)
        response = connection.getresponse()
        response.read()
        return str(response.status)
    except (OSError, http.client.HTTPException):
        return "error"
    finally:
        connection.close()
