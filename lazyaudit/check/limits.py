"""The limits a check enforces, parsed from options and [tool.lazyaudit] values.

Every size is parsed here, so a bad value gets the same one-line message whether
it came from the command line or from pyproject.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import UsageError
from ..model import Margin
from ..units import parse_size

MODULE_NAME = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*%\s*$")

# What a size limit measures in the report.
RSS, PRIVATE, PACKAGE, MODULE = "rss", "private", "package", "module"


class LimitError(UsageError):
    """A limit that cannot be used; `option` names where it came from."""

    def __init__(self, option: str, message: str):
        super().__init__(message)
        self.option = option


@dataclass(slots=True, frozen=True)
class SizeLimit:
    """At most `max_bytes` of one measure: the whole startup, or one package or module."""

    check: str            # how results name it: "max-rss", "budget pandas"
    measure: str          # RSS | PRIVATE | PACKAGE | MODULE
    max_bytes: int
    name: str | None = None


@dataclass(slots=True)
class Limits:
    sizes: list[SizeLimit] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)
    baseline: str | None = None              # path of the saved report to compare with
    max_increase: Margin = Margin(bytes=0)   # over the baseline
    update_baseline: bool = False
    tolerance: Margin = Margin(percent=2.0)

    def empty(self) -> bool:
        return not (self.sizes or self.forbid or self.baseline)


def parse_margin(option: str, text) -> Margin:
    """'5%' or a size ('10MiB')."""
    found = PERCENT.match(str(text))
    if found:
        return Margin(percent=float(found.group(1)))
    try:
        return Margin(bytes=parse_size(text))
    except ValueError:
        raise LimitError(option, f"not a size or percentage: {text!r} "
                                 "(use e.g. 5% or 10MiB)") from None


def size(option: str, text) -> int:
    try:
        return parse_size(text)
    except ValueError as error:
        raise LimitError(option, str(error)) from None


def budget_limit(option: str, entry: str) -> SizeLimit:
    """'NAME=SIZE': a dotted NAME is a module (its cumulative RSS), a top-level
    NAME a package (the self RSS of all its modules)."""
    name, equals, text = entry.partition("=")
    name = name.strip()
    if not equals or not name:
        raise LimitError(option, f"expected NAME=SIZE, got {entry!r}")
    if not MODULE_NAME.match(name):
        raise LimitError(option, f"not a module or package name: {name!r}")
    measure = MODULE if "." in name else PACKAGE
    return SizeLimit(f"budget {name}", measure, size(option, text.strip()), name)


def module_names(option: str, text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if not MODULE_NAME.match(name):
            raise LimitError(option, f"not a module name: {name!r}")
    return names


def parse_limits(params: dict) -> Limits:
    """Limits from the check command's options (after [tool.lazyaudit] filled them in)."""
    limits = Limits(tolerance=parse_margin("tolerance", params["tolerance"]))
    if params["max_rss"] is not None:
        limits.sizes.append(SizeLimit("max-rss", RSS, size("max-rss", params["max_rss"])))
    if params["max_private"] is not None:
        limits.sizes.append(SizeLimit("max-private", PRIVATE,
                                      size("max-private", params["max_private"])))
    budgets = {}
    for entry in params["budget"]:
        limit = budget_limit("budget", entry)
        budgets[limit.name] = limit          # the last one given for a name wins
    limits.sizes += budgets.values()
    if params["forbid"]:
        limits.forbid = list(dict.fromkeys(module_names("forbid", params["forbid"])))
    limits.baseline = params["baseline"]
    limits.update_baseline = params["update_baseline"]
    if params["max_increase"] is not None:
        if not limits.baseline:
            raise LimitError("max-increase", "needs a baseline (--baseline FILE)")
        limits.max_increase = parse_margin("max-increase", params["max_increase"])
    if limits.update_baseline and not limits.baseline:
        raise LimitError("update-baseline", "needs the file to write (--baseline FILE)")
    return limits


# [tool.lazyaudit] values that have another shape in the file than on the command line.

def budgets_from_config(value) -> tuple[str, ...]:
    """`budgets = {pandas = "20MiB"}` -> the values `--budget` would get.

    An unquoted dotted key (`reports.views = "40MiB"`) is a nested table in TOML;
    it names the module all the same.
    """
    if not isinstance(value, dict):
        raise ValueError('must be a table of NAME = SIZE, e.g. budgets = {pandas = "20MiB"}')
    entries = []
    for name, text in value.items():
        if isinstance(text, dict):
            entries += [f"{name}.{entry}" for entry in budgets_from_config(text)]
        elif isinstance(text, (str, int, float)) and not isinstance(text, bool):
            entries.append(f"{name}={text}")
        else:
            raise ValueError(f"{name}: not a size: {text!r} (use e.g. 200MiB, 1.5GiB, 300MB)")
    return tuple(entries)


def forbid_from_config(value) -> str:
    """`forbid = ["pandas", "boto3"]` -> the value `--forbid` would get."""
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValueError('must be a list of module names, e.g. forbid = ["pandas"]')
    return ",".join(value)
