"""The requests `workers` and `requests` send: a file of paths (one per line, or JSON
with methods, headers and bodies), the paths --exclude-urls drops, and the session
cookie of --user added to each. The Django URLconf walk runs inside the target:
probe/_lazyaudit_urls.py (URLS_HELPER).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

URLS_HELPER = Path(__file__).parent / "probe" / "_lazyaudit_urls.py"


@dataclass(slots=True, frozen=True)
class Request:
    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None

    def __str__(self) -> str:
        return self.path if self.method == "GET" else f"{self.method} {self.path}"

    def to_literal(self) -> dict:
        """The request as the in-target code takes it (a Python literal)."""
        return {"method": self.method, "path": self.path, "headers": list(self.headers),
                "body": self.body.decode("latin-1") if self.body is not None else None}


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
    except UnicodeDecodeError:
        raise UsageError(f"--urls {path}: not a text file") from None
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except ValueError as error:
            raise UsageError(f"--urls {path}: not valid JSON: {error}") from None
        return [_request_of(item, path) for item in items]
    requests = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("/") or any(character.isspace() for character in line):
            raise UsageError(f"--urls {path}:{number}: not a path starting with '/': "
                             f"{line[:60]!r}")
        requests.append(Request(line))
    return requests


def _request_of(item, path: str) -> Request:
    if isinstance(item, str):
        return Request(item)
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise UsageError(f"--urls {path}: each entry needs a path, not {item!r}")
    body = item.get("body")
    return Request(item["path"], str(item.get("method", "GET")).upper(),
                   tuple((str(k), str(v)) for k, v in (item.get("headers") or {}).items()),
                   body.encode() if isinstance(body, str) else None)


def compile_patterns(patterns: tuple[str, ...]) -> list[re.Pattern]:
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as error:
            raise UsageError(f"--exclude-urls {pattern!r}: {error}") from None
    return compiled


def exclude(requests: list[Request], patterns: tuple[str, ...]) -> tuple[list[Request], list[str]]:
    """Drop the requests whose path matches any --exclude-urls regular expression."""
    compiled = compile_patterns(patterns)
    kept = [request for request in requests
            if not any(regex.search(request.path) for regex in compiled)]
    dropped = [str(request) for request in requests if request not in kept]
    return kept, dropped
