"""What to boot: a Django project, a module, a WSGI/ASGI app or a script."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import LazyauditError

SETTINGS_IN_MANAGE_PY = re.compile(
    r"""DJANGO_SETTINGS_MODULE['"]\s*,\s*['"]([\w.]+)['"]""")


class TargetError(LazyauditError):
    """The target cannot be booted; the message is one line for the user."""


@dataclass(slots=True)
class Target:
    kind: str            # "django" | "module" | "app" | "script"
    value: str           # settings module, module name, "module:attr" or script path
    project: Path
    python: str
    asgi: bool = False
    script_args: tuple[str, ...] = ()
    path_first: tuple[str, ...] = ()   # folders put right after the project on sys.path
    default_python: bool = False   # lazyaudit's own interpreter: no --python was given

    def describe(self) -> str:
        if self.kind == "django":
            return f"django:{self.value}" + (" (asgi)" if self.asgi else "")
        return f"{self.kind}:{self.value}"

    def probe_config(self, tracemalloc: bool) -> dict:
        return {
            "kind": self.kind, self.kind: self.value, "project": str(self.project),
            "asgi": self.asgi, "script_args": list(self.script_args),
            "path_first": list(self.path_first), "tracemalloc": tracemalloc,
        }


def resolve_target(project: str | os.PathLike | None = None, *, django: str | None = None,
                   module: str | None = None, app: str | None = None,
                   script: str | None = None, python: str | None = None,
                   asgi: bool = False) -> Target:
    """Check the options and build the target, auto-detecting a Django project."""
    project_dir = Path(project or os.getcwd()).resolve()
    if not project_dir.is_dir():
        raise TargetError(f"project directory {project_dir} does not exist")
    interpreter = resolve_python(python)
    default_python = not python

    chosen = [(kind, value) for kind, value in
              (("django", django), ("module", module), ("app", app), ("script", script))
              if value]
    if len(chosen) > 1:
        names = ", ".join(f"--{kind}" for kind, _ in chosen)
        raise TargetError(f"choose one target, not several ({names})")
    if chosen:
        kind, value = chosen[0]
        if kind == "script":
            found = [p for p in (Path(value).resolve(), (project_dir / value).resolve())
                     if p.is_file()]
            if not found:
                raise TargetError(f"script {value} not found")
            value = str(found[0])
        if kind == "app" and ":" not in value:
            value += ":application"
        return Target(kind, value, project_dir, interpreter, asgi=asgi,
                      default_python=default_python)

    settings = detect_django_settings(project_dir)
    return Target("django", settings, project_dir, interpreter, asgi=asgi,
                  default_python=default_python)


def detect_django_settings(project_dir: Path) -> str:
    manage_py = project_dir / "manage.py"
    if not manage_py.is_file():
        raise TargetError(
            f"no Django project in {project_dir} (no manage.py); "
            "pass --project DIR, or a target: --django SETTINGS, -m MODULE, --app MOD:ATTR, "
            "--script FILE")
    try:
        text = manage_py.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise TargetError(f"cannot read {manage_py}: {error.strerror}") from None
    found = SETTINGS_IN_MANAGE_PY.search(text)
    if found:
        return found.group(1)
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        return os.environ["DJANGO_SETTINGS_MODULE"]
    raise TargetError(f"{manage_py} does not name DJANGO_SETTINGS_MODULE; pass --django SETTINGS")


def resolve_python(python: str | None) -> str:
    if not python:
        import sys
        return sys.executable
    found = shutil.which(python)
    if found is None:
        raise TargetError(f"--python {python}: no such interpreter")
    return os.path.abspath(found)   # not realpath: a venv's python is a symlink that must stay one
