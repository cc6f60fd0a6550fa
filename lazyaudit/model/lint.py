"""What `lint` found (`lint --format json`), and the baseline file that lets CI refuse
only new findings. Schema: docs/json-schema.md#lint.

A finding is matched to the baseline by its fingerprint (rule, file, the state it
concerns and the function that changes it), never by line: edits above it do not
make it new. The baseline holds a fingerprint once per finding, so that a second
finding of the same kind in the same function is new.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

from .report import ReportError

LINT_SCHEMA = 1
BASELINE_SCHEMA = 1


@dataclass(slots=True)
class LintFinding:
    code: str                 # LA501 ...
    rule: str                 # module-state-per-request ...
    path: str                 # relative to the project root, with /
    line: int
    col: int                  # 1-based, as editors count
    message: str
    state: str                # qualified: module.NAME, module.Class.attr, module.function
    function: str             # the function that changes it (qualified)
    entry: str                # the entry point that reaches that function
    entry_kind: str           # view, middleware, signal receiver, ...
    confirmed: bool = False   # a `requests` report saw this state grow
    items_per_request: float | None = None
    bytes_per_request: float | None = None

    @property
    def fingerprint(self) -> str:
        return f"{self.code}:{self.path}:{self.state}:{self.function}"


@dataclass(slots=True)
class LintReport:
    root: str
    files: int                                   # files analysed
    findings: list[LintFinding] = field(default_factory=list)
    suppressed: int = 0                          # by comments or configuration
    baselined: int = 0                           # known in the baseline
    skipped: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"schema": LINT_SCHEMA, "root": self.root, "files": self.files,
                "findings": [asdict(finding) for finding in self.findings],
                "suppressed": self.suppressed, "baselined": self.baselined,
                "skipped": self.skipped}

    @classmethod
    def from_json(cls, data: dict) -> LintReport:
        if not isinstance(data, dict) or data.get("schema") != LINT_SCHEMA:
            raise ReportError("not a lazyaudit lint report (schema 1)")
        try:
            return cls(data["root"], data["files"],
                       [LintFinding(**finding) for finding in data["findings"]],
                       data.get("suppressed", 0), data.get("baselined", 0),
                       data.get("skipped", []))
        except (KeyError, TypeError) as error:
            raise ReportError(f"lint report: bad field ({error})") from None


def baseline_to_json(findings: list[LintFinding]) -> dict:
    return {"schema": BASELINE_SCHEMA, "lazyaudit": "lint baseline",
            "findings": sorted(finding.fingerprint for finding in findings)}


def baseline_from_json(text: str) -> Counter:
    """How many findings of each fingerprint a baseline file holds; ReportError when it
    is no such file."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ReportError(f"not JSON ({error})") from None
    if (not isinstance(data, dict) or data.get("schema") != BASELINE_SCHEMA
            or data.get("lazyaudit") != "lint baseline"
            or not isinstance(data.get("findings"), list)
            or not all(isinstance(item, str) for item in data["findings"])):
        raise ReportError("not a lazyaudit lint baseline (write one with --write-baseline)")
    return Counter(data["findings"])


def state_growth(data) -> dict[str, tuple[float, float]]:
    """{qualified state name: (items, bytes) per request} for the state a saved
    `lazyaudit requests --format json` report saw grow."""
    if not isinstance(data, dict) or not isinstance(data.get("state"), list):
        raise ReportError("not a lazyaudit requests report (no \"state\" list)")
    grown = {}
    for item in data["state"]:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ReportError("requests report: a \"state\" entry has no \"name\"")
        items = item.get("items_per_request") or 0
        size = item.get("bytes_per_request") or 0
        if not isinstance(items, (int, float)) or not isinstance(size, (int, float)):
            raise ReportError(f"requests report: {item['name']}: growth is not a number")
        if items > 0 or size > 0:
            grown[item["name"]] = (float(items), float(size))
    return grown
