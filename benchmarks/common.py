"""What the benchmarks share: the projects, timed runs with peak RSS, interleaved
rounds, medians, tables, and the tools compared with (memray, ruff).

The tools are installed from PyPI into .cache/bench-tools/<python tag>/ with
`pip install --target`, never into the project's or a target's virtualenv. A
target interpreter sees them only at the end of its sys.path, so its own
packages always win.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from lazyaudit.units import MIB, mib  # noqa: F401  (the benchmarks' units are lazyaudit's)

ROOT = Path(__file__).resolve().parent.parent
PLAIN_BOOT = ROOT / "benchmarks" / "plain_boot.py"
TOOLS = ROOT / ".cache" / "bench-tools"
TOOL_REQUIREMENTS = ("memray==1.20.0", "ruff==0.17.6")   # pinned: the figures name them


@dataclass(frozen=True)
class Project:
    name: str
    path: Path
    settings: str
    python: str

    def problem(self) -> str | None:
        """Why this project cannot be booted here, or None."""
        if not Path(self.python).exists():
            return f"{self.python} is missing (run `make bigsite`)"
        return None


PROJECTS = [
    Project("sample_project", ROOT / "sample_project", "shop.settings", sys.executable),
    Project("bigsite", ROOT / "tests" / "bigsite", "bigsite.settings",
            str(ROOT / ".cache" / "bigsite-venv" / "bin" / "python")),
]


@dataclass(frozen=True)
class Run:
    wall_ns: int
    cpu_ns: int          # user + system time of the process and its waited-for children
    peak_rss: int        # bytes: the peak of its largest process
    out: str


class CommandFailed(Exception):
    pass


def run(argv, *, cwd=None, env=None) -> Run:
    """Run a command to completion and return its wall time, CPU time and peak RSS.

    On Linux the rusage that wait4() returns for a child covers the children it
    waited for too: ru_maxrss is then the peak of the largest process of the
    tree (e.g. lazyaudit's probe under the `lazyaudit measure` process).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter_ns()
        process = subprocess.Popen([str(arg) for arg in argv], cwd=cwd, env=env,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter_ns() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if process.returncode != 0:
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            raise CommandFailed(f"{' '.join(map(str, argv))} exited {process.returncode}:\n"
                                + "\n".join(tail))
    cpu = int((usage.ru_utime + usage.ru_stime) * 1e9)
    return Run(wall, cpu, usage.ru_maxrss * 1024, stdout)


def rounds(variants: dict, count: int) -> dict[str, list]:
    """Call every variant once per round, `count` rounds; return their results by name.

    The variants take turns within each round, and each round starts one
    variant later, so slow drift (caches, other load) hits them all alike.
    """
    names = list(variants)
    results = {name: [] for name in names}
    for number in range(count):
        start = number % len(names)
        for name in names[start:] + names[:start]:
            results[name].append(variants[name]())
    return results


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


def ms(value_ns: float) -> str:
    return f"{value_ns / 1e6:.0f}"


def print_table(headers, rows, markdown: bool) -> None:
    from tabulate import tabulate
    print(tabulate(rows, headers=headers, tablefmt="github" if markdown else "simple",
                   disable_numparse=True))
    print()


def parser(doc: str) -> argparse.ArgumentParser:
    """The options every benchmark takes."""
    parse = argparse.ArgumentParser(description=doc.strip().splitlines()[0],
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parse.add_argument("--markdown", action="store_true",
                       help="print the tables as Markdown (for docs/performance.md)")
    parse.add_argument("--quick", action="store_true",
                       help="one round on small input, with memray and ruff only if already "
                            "installed: checks that the benchmark runs")
    return parse


def machine() -> str:
    """One line on where the figures come from."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores ({cpu}), Linux {os.uname().release}, "
            f"Python {sys.version.split()[0]}")


# -- the tools compared with ---------------------------------------------------

class ToolMissing(Exception):
    pass


def tools_dir(python: str, install: bool = True) -> Path:
    """memray and ruff for this interpreter, installed from PyPI on first use."""
    tag = subprocess.run([python, "-c", "import sys; print(sys.implementation.cache_tag)"],
                         capture_output=True, text=True, check=True).stdout.strip()
    target = TOOLS / tag
    stamp = target / ".installed"
    if stamp.exists() and stamp.read_text() == " ".join(TOOL_REQUIREMENTS):
        return target
    if not install:
        raise ToolMissing(f"not installed in {target} (a full run installs it)")
    print(f"installing {', '.join(TOOL_REQUIREMENTS)} into {target} ...", file=sys.stderr)
    installed = subprocess.run([python, "-m", "pip", "install", "-q", "--upgrade",
                                "--target", str(target), *TOOL_REQUIREMENTS],
                               capture_output=True, text=True)
    if installed.returncode != 0:
        why = (installed.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise ToolMissing(f"cannot install {' '.join(TOOL_REQUIREMENTS)}: {why}")
    stamp.write_text(" ".join(TOOL_REQUIREMENTS))
    return target


def memray_command(python: str, script_args, output: Path, install: bool = True) -> list[str]:
    """`memray run` under the target's own interpreter (memray traces in-process)."""
    tools = tools_dir(python, install)
    launcher = (f"import sys; sys.path.append({str(tools)!r}); "
                "from memray.commands import main; sys.exit(main())")
    return [python, "-c", launcher, "run", "--quiet", "--force", "--output", str(output),
            *map(str, script_args)]


def ruff_path(install: bool = True) -> Path:
    return tools_dir(sys.executable, install) / "bin" / "ruff"


def migrated_copy(scratch: Path) -> Path:
    """A copy of sample_project in `scratch`, its database migrated."""
    project = scratch / "sample_project"
    shutil.copytree(ROOT / "sample_project", project,
                    ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=project, check=True)
    return project
