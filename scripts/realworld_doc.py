"""Write docs/realworld.md from what the corpus tests recorded (`make test-slow`).

    python scripts/realworld_doc.py [--results DIR] [--output FILE]

The results folder ($LAZYAUDIT_REALWORLD_RESULTS, else .cache/realworld/results/) holds, per
project, the JSON that `lazyaudit measure` wrote (NAME.measure.json), the JSON that
`lazyaudit rank` printed (NAME.rank.json) and that `rank --confirm` printed
(NAME.confirm.json), or the error line of a boot that failed (NAME.error). Every number
in the page comes from there; none is typed by hand. A new figure is one more entry in
COLUMNS.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "realworld"))

from lazyaudit.units import mib  # noqa: E402
from projects import CACHE, FLAKY, KNOWN_FAILURES, PROJECTS, Project  # noqa: E402


def rss(totals: dict) -> str:
    return f"{mib(totals['rss_bytes'])} ({mib(totals['rss_anon_bytes'])}/" \
           f"{mib(totals['rss_file_bytes'])})"


def safe_candidates(rank: dict) -> list[dict]:
    return [c for c in rank["candidates"] if c["verdict"] == "safe"]


def private(cost: dict) -> str:
    return f"{mib(cost['rss_anon_bytes'])} ({mib(cost['rss_file_bytes'])})"


def confirmed(rank: dict) -> str:
    """Safe candidates a what-if boot confirmed, of those it booted."""
    booted = [c for c in safe_candidates(rank) if c.get("confirmation")]
    if not booted:
        return "-"
    return f"{sum(1 for c in booted if c['confirmation']['confirmed'])} of {len(booted)}"


def measured(rank: dict) -> str:
    confirmation = rank["deferral"].get("confirmation")
    return private(confirmation["measured"]) if confirmation else "-"


# (header, cell from the project, its measure report and its rank output)
COLUMNS = [
    ("project", lambda p, m, r: f"{p.distribution} {p.version}"),
    ("target", lambda p, m, r: f"`{m['target']}`"),
    ("modules loaded", lambda p, m, r: str(m["totals"]["modules"])),
    ("first-party modules",
     lambda p, m, r: str(sum(1 for module in m["modules"] if module["kind"] == "first-party"))),
    ("startup RSS MiB (private/shared)", lambda p, m, r: rss(m["totals"])),
    ("candidates", lambda p, m, r: str(len(r["candidates"]))),
    ("safe candidates", lambda p, m, r: str(len(safe_candidates(r)))),
    ("confirmed by a what-if boot", lambda p, m, r: confirmed(r)),
    ("refuted by a what-if boot",
     lambda p, m, r: str(sum(1 for c in r["candidates"] if c["verdict"] == "refuted"))),
    ("estimated savings MiB private (shared)", lambda p, m, r: private(r["deferral"]["savings"])),
    ("measured by a what-if boot MiB private (shared)", lambda p, m, r: measured(r)),
    ("known problems", lambda p, m, r: ", ".join(
        BY_TEST[test] for name, test in KNOWN_FAILURES if name == p.name) or ", ".join(
        f"{BY_TEST[test]} (in some runs)" for name, test in FLAKY if name == p.name) or "-"),
]


BY_TEST = {
    "test_measure_boots_the_project": "measure",
    "test_rank_finds_candidates_in_the_projects_own_code": "rank",
    "test_every_safe_candidate_is_confirmed_by_a_what_if_boot": "rank --confirm",
}


def load(results: Path, project: Project) -> tuple[dict, dict] | str | None:
    """The project's measure report and rank output, or why it did not boot."""
    error = results / f"{project.name}.error"
    if error.is_file():
        return error.read_text().strip()
    measure, rank, confirm = (results / f"{project.name}.{kind}.json"
                              for kind in ("measure", "rank", "confirm"))
    if not (measure.is_file() and rank.is_file()):
        return None
    # The confirmed ranking, where the what-if boots ran, holds the estimate as well.
    return json.loads(measure.read_text()), json.loads((confirm if confirm.is_file()
                                                        else rank).read_text())


def top_safe(rank: dict, count: int = 3) -> str:
    names = [f"`{c['module']}` ({mib(c['savings']['rss_anon_bytes'])} MiB private)"
             for c in safe_candidates(rank)[:count]]
    return ", ".join(names) or "none"


def render(results: Path) -> str:
    rows, details, missing = [], [], []
    for project in PROJECTS:
        loaded = load(results, project)
        if loaded is None:
            missing.append(project.name)
            continue
        described = f"- **{project.distribution} {project.version}** " \
                    f"(`{' '.join(project.target)}`): {project.setup}."
        if isinstance(loaded, str):
            cells = [f"{project.distribution} {project.version}",
                     f"does not boot under lazyaudit: `{loaded.removeprefix('lazyaudit: error: ')}`"]
            rows.append("| " + " | ".join(cells + [""] * (len(COLUMNS) - len(cells))) + " |")
            details.append(described)
            continue
        measure, rank = loaded
        rows.append("| " + " | ".join(cell(project, measure, rank) for _, cell in COLUMNS) + " |")
        details.append(f"{described} Python {measure['python']}. Largest safe candidates: "
                       f"{top_safe(rank)}.")
    if missing:
        raise SystemExit(f"realworld_doc: error: no results for {', '.join(missing)} in "
                         f"{results}: run `make test-slow` first")
    known = [f"- **{BY_TEST.get(test, test)}** on {name}: {reason}."
             for (name, test), reason in KNOWN_FAILURES.items()]
    flaky = [f"- **{BY_TEST.get(test, test)}** on {name}, in some runs: {reason}."
             for (name, test), reason in FLAKY.items()]
    header = "| " + " | ".join(title for title, _ in COLUMNS) + " |"
    rule = "|" + "|".join(" --- " for _ in COLUMNS) + "|"
    return "\n".join([
        "# lazyaudit on real projects",
        "",
        "<!-- Generated by scripts/realworld_doc.py from the results of `make test-slow`;",
        "     edit the script, not this file. -->",
        "",
        "Every feature is tried on real third-party projects installed from PyPI, not only on",
        "the sample project: the corpus of `tests/realworld/` (`make realworld` installs it,",
        "`make test-slow` runs `lazyaudit measure`, `rank` and `rank --confirm` on each",
        "project). Each",
        "project runs in its own virtualenv with sqlite and no outside services; its own",
        "source is the project root, so its code is first-party. The figures below are from",
        "one such run: one boot each for measure and rank, medians of 5 for the what-if",
        "boots (one where a known failure is recorded), so expect some wobble.",
        "",
        header,
        rule,
        *rows,
        "",
        "Startup RSS is what one worker holds once the boot is done (private: anonymous",
        "memory, shared: file-backed pages). A candidate is an import statement of the",
        "project's own code that loads a module at startup; it is *safe* when the import can",
        "move into the functions that use it. Estimated savings are what deferring every safe",
        "candidate together would take off each worker, from the import graph",
        "([ranking](ranking.md) explains how); the measured figure is a what-if boot of the",
        "project with `fix`'s rewrite of all of them applied. The corpus tests hold every",
        "project to the invariant that a what-if boot confirms each safe candidate (the",
        "module leaves startup, and the private memory drops by the estimate, within",
        "max(15%, 0.5 MiB)).",
        "",
        "Known problems, each a strict expected failure of the corpus tests (so the tests",
        "turn red the day it is fixed; `KNOWN_FAILURES` in `tests/realworld/projects.py`):",
        "",
        *(known or ["- none"]),
        "",
        "Failing in some runs only, for a cause not yet known (expected failures that are",
        "not strict; `FLAKY` in `tests/realworld/projects.py`):",
        "",
        *(flaky or ["- none"]),
        "",
        "How each project is set up (`tests/realworld/projects.py` holds the same, and the",
        "options lazyaudit boots it with):",
        "",
        *details,
        "",
        "## Running the corpus",
        "",
        "```sh",
        "make realworld      # installs every project (Python 3.11: $REALWORLD_PYTHON or python3.11)",
        "make test-slow      # measure and rank on each; what lazyaudit printed goes to",
        "                    # $LAZYAUDIT_REALWORLD_RESULTS (default .cache/realworld/results/)",
        "make realworld-doc  # this page, from those results",
        "```",
        "",
        "`python tests/realworld/install.py NAME` installs one project; a stamp makes a second",
        "run instant, and any change to the recipes rebuilds. The versions of every",
        "dependency are pinned by `tests/realworld/locks/NAME.txt`, which the first install",
        "writes and `--relock` renews. A new project is one entry in `projects.py` and one",
        "recipe in `install.py`.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path,
                        default=Path(os.environ.get("LAZYAUDIT_REALWORLD_RESULTS")
                                     or CACHE / "results"))
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "realworld.md")
    args = parser.parse_args(argv)
    args.output.write_text(render(args.results))
    print(f"wrote {args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
