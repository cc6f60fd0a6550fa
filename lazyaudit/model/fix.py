"""What `fix` did or would do: the imports it deferred, those it left alone and why,
and what `--verify` measured. Its JSON (`fix --format json`) is documented in
docs/fixing.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cost import Cost

WRITE, DRY_RUN, CHECK, RESTORED = "write", "dry-run", "check", "restored"


@dataclass(slots=True)
class LeftAlone:
    file: str          # relative to the project
    line: int
    module: str
    reason: str
    code: str | None       # the reason's code (docs/reasons.md)
    notable: bool = True   # heavy enough, and the user's choice, to list by default

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "module": self.module,
                "reason": self.reason, "code": self.code, "notable": self.notable}


@dataclass(slots=True)
class DeferredImport:
    """One import statement changed."""

    file: str
    line: int
    modules: list[str]
    change: str                      # what was done, e.g. "pd into export_orders_csv()"
    savings_rss_anon_bytes: int | None   # private bytes per worker, when measured

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "modules": self.modules,
                "change": self.change, "savings_rss_anon_bytes": self.savings_rss_anon_bytes}


@dataclass(slots=True)
class Verification:
    """`--verify`: startup memory before and after the change, and the test command."""

    before: Cost
    after: Cost | None = None
    still_loaded: list[str] = field(default_factory=list)
    test_command: str | None = None
    tests_passed: bool | None = None
    boot_error: str | None = None    # the changed project did not boot: why
    boot_details: str = ""           # and its traceback

    @property
    def ok(self) -> bool:
        return self.boot_error is None and self.tests_passed is not False

    def to_json(self) -> dict:
        document = {"ok": self.ok, "before": self.before.to_json(),
                    "test_command": self.test_command}
        if self.after is not None:
            document["after"] = self.after.to_json()
            document["still_loaded"] = self.still_loaded
        if self.boot_error is not None:
            document["boot_error"] = self.boot_error
        if self.test_command:
            document["tests_passed"] = self.tests_passed
        return document


@dataclass(slots=True)
class FixOutcome:
    style: str
    mode: str                                   # WRITE, DRY_RUN, CHECK or RESTORED
    deferred: list[DeferredImport] = field(default_factory=list)
    files: list[str] = field(default_factory=list)     # the files changed
    left_alone: list[LeftAlone] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # files that could not be rewritten
    diff: str = ""                              # unified diff of every change
    verify: Verification | None = None

    def to_json(self) -> dict:
        document = {
            "style": self.style, "mode": self.mode,
            "changes": [item.to_json() for item in self.deferred],
            "files": self.files,
            "left_alone": [item.to_json() for item in self.left_alone],
            "problems": self.problems,
        }
        if self.mode in (DRY_RUN, CHECK):
            document["diff"] = self.diff
        if self.verify is not None:
            document["verify"] = self.verify.to_json()
        return document
