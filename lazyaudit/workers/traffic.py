"""The traffic `lazyaudit workers` sends: which requests (a Django project's URL
patterns that need no argument, or a file), and rounds of them over loopback with
more concurrent connections than workers, counted by status.
"""

from __future__ import annotations

import http.client
import itertools
import json
import re
import subprocess
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from .server import HOOKS, ServerError

REQUEST_TIMEOUT = 120.0     # seconds one response may take (a first hit imports modules)
NO_SUCH_USER = 3            # _lazyaudit_urls.py's exit code for an unknown --user


@dataclass(slots=True, frozen=True)
class Request:
    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def __str__(self) -> str:
        return self.path if self.method == "GET" else f"{self.method} {self.path}"


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
            done = subprocess.run([python, str(HOOKS / "_lazyaudit_urls.py"), settings,
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


def logged_in(requests: list[Request], cookie: str) -> list[Request]:
    """The requests with the session cookie added to any Cookie header they carry."""
    result = []
    for request in requests:
        headers = dict(request.headers)
        headers["Cookie"] = "; ".join(filter(None, [headers.get("Cookie"), cookie]))
        result.append(Request(request.path, request.method, tuple(headers.items()),
                              request.body))
    return result


def read_urls_file(path: str) -> list[Request]:
    """One path per line, or a JSON list of paths or of {method, path, headers, body}."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--urls {path}: {error.strerror}") from None
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except ValueError as error:
            raise UsageError(f"--urls {path}: not valid JSON: {error}") from None
        return [_request_of(item, path) for item in items]
    return [Request(line.strip()) for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _request_of(item, path: str) -> Request:
    if isinstance(item, str):
        return Request(item)
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise UsageError(f"--urls {path}: each entry needs a path, not {item!r}")
    body = item.get("body")
    return Request(item["path"], str(item.get("method", "GET")).upper(),
                   tuple((str(k), str(v)) for k, v in (item.get("headers") or {}).items()),
                   body.encode() if isinstance(body, str) else None)


def exclude(requests: list[Request], patterns: tuple[str, ...]) -> tuple[list[Request], list[str]]:
    """Drop the requests whose path matches any --exclude-urls regular expression."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise UsageError(f"--exclude-urls {pattern!r}: {error}") from None
    kept = [request for request in requests
            if not any(regex.search(request.path) for regex in compiled)]
    dropped = [str(request) for request in requests if request not in kept]
    return kept, dropped


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
