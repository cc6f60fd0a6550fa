"""What `fix` did or would do, as plain text (the diff itself is printed by the command)."""

from __future__ import annotations

from tabulate import tabulate

from ..model import FixOutcome, LeftAlone, Verification
from ..units import mib

VERBS = {"write": "Deferred", "dry-run": "Would defer", "check": "Would defer",
         "restored": "Deferred, then put back"}
PARTICIPLES = {"write": "changed", "dry-run": "would change", "check": "would change",
               "restored": "changed, then put back"}


def render(outcome: FixOutcome, show_all: bool = False, **_options) -> str:
    lines = []
    if outcome.deferred:
        lines.append(f"{VERBS[outcome.mode]} (style {outcome.style}):")
        lines.append(tabulate([[f"{d.file}:{d.line}", ", ".join(d.modules), d.change,
                                saves(d.savings_rss_anon_bytes)] for d in outcome.deferred],
                              tablefmt="plain", disable_numparse=True))
    else:
        lines.append("Nothing to defer.")
    shown = shown_left_alone(outcome, show_all)
    if shown:
        lines += ["", "Left alone:"]
        lines.append(tabulate([[f"{item.file}:{item.line}", item.module, item.code or "",
                                item.reason] for item in shown],
                              tablefmt="plain", disable_numparse=True))
    hidden = len(outcome.left_alone) - len(shown)
    if hidden:
        lines.append(f"({hidden} more imports left alone would save less than --min-savings, "
                     "or nothing: --all lists them, as does --format json)")
    if outcome.verify and outcome.verify.after is not None:
        lines += ["", *verify_lines(outcome.verify)]
    lines += ["", total_line(outcome)]
    return "\n".join(lines)


def shown_left_alone(outcome: FixOutcome, show_all: bool) -> list[LeftAlone]:
    return [item for item in outcome.left_alone if item.notable or show_all]


def verify_lines(verify: Verification) -> list[str]:
    before, after = verify.before, verify.after
    rows = [[label, mib(getattr(before, key)), mib(getattr(after, key)),
             mib(getattr(before, key) - getattr(after, key))]
            for label, key in (("total RSS", "rss_bytes"),
                               ("private (anonymous)", "rss_anon_bytes"),
                               ("shared (file-backed)", "rss_file_bytes"))]
    lines = [tabulate(rows, headers=["startup memory per worker, MiB", "before", "after",
                                     "saved"], tablefmt="simple", disable_numparse=True)]
    still = verify.still_loaded
    lines.append(f"still loaded at startup: {', '.join(still)}" if still
                 else "none of the deferred modules is loaded at startup any more")
    if verify.test_command:
        result = "passed" if verify.tests_passed else "FAILED"
        lines.append(f"test command `{verify.test_command}`: {result}")
    return lines


def saves(savings: int | None) -> str:
    return f"saves {mib(savings)} MiB private" if savings else ""


def total_line(outcome: FixOutcome) -> str:
    moves, files = len(outcome.deferred), len(outcome.files)
    return (f"{moves} import{'s' if moves != 1 else ''} in {files} file"
            f"{'s' if files != 1 else ''} {PARTICIPLES[outcome.mode]}; "
            f"{len(outcome.left_alone)} left alone.")
