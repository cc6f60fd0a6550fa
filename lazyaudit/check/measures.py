"""The figures limits are judged on, read from an ImportReport."""

from __future__ import annotations

from pathlib import Path

from ..analysis.chain import import_chain
from ..model import ImportReport, ImportSite


def top_level(name: str) -> str:
    return name.partition(".")[0]


def rss_of(cost, private: bool) -> int:
    """Total or private (anonymous) RSS of a Cost or Totals."""
    return cost.rss_anon_bytes if private else cost.rss_bytes


def package_sums(report: ImportReport, private: bool = False) -> dict[str, tuple[int, int]]:
    """Per top-level package: the self RSS of all its modules, and how many there are.

    Self RSS is what each module's own code added, so a package's sum leaves out
    what it pulled in from other packages: those count under their own names.
    """
    sums: dict[str, tuple[int, int]] = {}
    for module in report.modules:
        size, count = sums.get(top_level(module.name), (0, 0))
        sums[top_level(module.name)] = (size + rss_of(module.self_cost, private), count + 1)
    return sums


def largest_packages(report: ImportReport, private: bool, count: int = 5) -> list[tuple[str, int]]:
    sums = package_sums(report, private)
    ranked = sorted(sums.items(), key=lambda item: item[1][0], reverse=True)
    return [(name, size) for name, (size, _) in ranked[:count]]


def project_site(report: ImportReport, name: str) -> ImportSite | None:
    """The last line of the project's own code in the chain that loaded `name`:
    where a change would take it out of startup."""
    if not report.project:
        return None
    try:
        links = import_chain(report, name).links
    except KeyError:
        return None
    root = Path(report.project)
    for link in reversed(links):
        if link.site is None:
            continue
        path = Path(link.site.file)
        installed = {"site-packages", "dist-packages"} & set(path.parts)
        if path.is_absolute() and root in path.parents and not installed:
            return link.site
    return None
