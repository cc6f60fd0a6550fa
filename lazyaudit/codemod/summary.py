"""What `fix` did or would do, as text, markdown, JSON or a unified diff."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from tabulate import tabulate

from ..units import mib
from .plan import LeftAlone


@dataclass(slots=True)
class Outcome:
    style: str
    changes: list            # rewrite.FileChange
    left_alone: list[LeftAlone]
    problems: list[str]      # files that could not be rewritten
    mode: str = "write"      # "write", "dry-run", "check", or "restored" (--verify failed)
    show_all: bool = False   # list small and framework-internal imports left alone too
    verify: dict | None = None

    def rows(self) -> list[dict]:
        """One row per import statement changed."""
        rows = []
        for change in self.changes:
            done: dict[int, tuple] = {}
            for move, what in change.done:
                done.setdefault(id(move), (move, []))[1].append(what)
            for move, whats in done.values():
                rows.append({"file": change.relative, "line": move.statement.line,
                             "modules": move.modules, "change": "; ".join(whats),
                             "savings_rss_anon_bytes": move.savings_bytes})
        return rows


def unified_diff(changes: list) -> str:
    parts = []
    for change in changes:
        before = change.before.decode("utf-8", "replace").splitlines(keepends=True)
        after = change.after.decode("utf-8", "replace").splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, f"a/{change.relative}",
                                         f"b/{change.relative}"):
            if not line.endswith("\n"):
                line += "\n\\ No newline at end of file\n"
            parts.append(line)
    return "".join(parts)


def to_text(outcome: Outcome) -> str:
    lines = []
    rows = outcome.rows()
    if rows:
        verb = {"write": "Deferred", "dry-run": "Would defer", "check": "Would defer",
                "restored": "Deferred, then put back"}
        lines.append(f"{verb[outcome.mode]} (style {outcome.style}):")
        lines.append(tabulate([[f"{r['file']}:{r['line']}", ", ".join(r["modules"]), r["change"],
                                _saves(r["savings_rss_anon_bytes"])] for r in rows],
                              tablefmt="plain", disable_numparse=True))
    else:
        lines.append("Nothing to defer.")
    shown = [item for item in outcome.left_alone if item.notable or outcome.show_all]
    if shown:
        lines += ["", "Left alone:"]
        lines.append(tabulate([[f"{item.file}:{item.line}", item.module, item.code or "",
                                item.reason] for item in shown],
                              tablefmt="plain", disable_numparse=True))
    hidden = len(outcome.left_alone) - len(shown)
    if hidden:
        lines.append(f"({hidden} more imports left alone would save less than --min-savings, "
                     "or nothing: --all lists them, as does --format json)")
    if outcome.verify:
        lines += ["", *verify_lines(outcome.verify)]
    lines += ["", _total(outcome)]
    return "\n".join(lines)


def to_markdown(outcome: Outcome) -> str:
    lines = [f"## lazyaudit fix (style {outcome.style})", ""]
    rows = outcome.rows()
    if rows:
        lines += ["| import | module | change | saves per worker |", "|---|---|---|---|"]
        lines += [f"| `{r['file']}:{r['line']}` | {', '.join(r['modules'])} | {r['change']} | "
                  f"{_saves(r['savings_rss_anon_bytes']) or '-'} |" for r in rows]
    else:
        lines.append("Nothing to defer.")
    shown = [item for item in outcome.left_alone if item.notable or outcome.show_all]
    if shown:
        lines += ["", "**Left alone**", "", "| import | module | code | reason |",
                  "|---|---|---|---|"]
        lines += [f"| `{item.file}:{item.line}` | {item.module} | {item.code or ''} | "
                  f"{item.reason} |" for item in shown]
    if outcome.verify:
        lines += ["", *(f"    {line}" for line in verify_lines(outcome.verify))]
    lines += ["", _total(outcome)]
    return "\n".join(lines)


def to_json(outcome: Outcome) -> str:
    document = {
        "style": outcome.style, "mode": outcome.mode,
        "changes": outcome.rows(),
        "files": [change.relative for change in outcome.changes],
        "left_alone": [item.to_json() for item in outcome.left_alone],
        "problems": outcome.problems,
    }
    if outcome.mode in ("dry-run", "check"):
        document["diff"] = unified_diff(outcome.changes)
    if outcome.verify is not None:
        document["verify"] = outcome.verify
    return json.dumps(document, indent=2)


def verify_lines(verify: dict) -> list[str]:
    before, after = verify["before"], verify["after"]
    rows = [[label, mib(before[key]), mib(after[key]), mib(before[key] - after[key])]
            for label, key in (("total RSS", "rss_bytes"),
                               ("private (anonymous)", "rss_anon_bytes"),
                               ("shared (file-backed)", "rss_file_bytes"))]
    lines = [tabulate(rows, headers=["startup memory per worker, MiB", "before", "after",
                                     "saved"], tablefmt="simple", disable_numparse=True)]
    still = verify.get("still_loaded", [])
    lines.append(f"still loaded at startup: {', '.join(still)}" if still
                 else "none of the deferred modules is loaded at startup any more")
    if verify.get("test_command"):
        result = "passed" if verify["tests_passed"] else "FAILED"
        lines.append(f"test command `{verify['test_command']}`: {result}")
    return lines


def _saves(savings: int | None) -> str:
    return f"saves {mib(savings)} MiB private" if savings else ""


def _total(outcome: Outcome) -> str:
    moves = len(outcome.rows())
    files = len(outcome.changes)
    verb = {"write": "changed", "dry-run": "would change", "check": "would change",
            "restored": "changed, then put back"}
    return (f"{moves} import{'s' if moves != 1 else ''} in {files} file"
            f"{'s' if files != 1 else ''} {verb[outcome.mode]}; "
            f"{len(outcome.left_alone)} left alone.")
