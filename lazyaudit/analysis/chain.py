"""The chain of imports from the entry point to the module that first loaded something."""

from __future__ import annotations

from ..model import ImportChain, ImportReport, Link

STAGE_ENTRY = {
    "setup": "django.setup()",
    "urls": "URL patterns (ROOT_URLCONF)",
    "app": "get_wsgi_application()",
    "import": "import of the target module",
    "run": "the script",
    "startup": "interpreter startup",
}


def import_chain(report: ImportReport, name: str) -> ImportChain:
    """Links from the outermost module loaded in its stage down to `name`.

    Raises KeyError when the module was not loaded at startup.
    """
    modules = report.by_name()
    if name not in modules:
        raise KeyError(name)
    links: list[Link] = []
    seen = set()
    current = modules.get(name)
    while current is not None and current.name not in seen:
        seen.add(current.name)
        links.append(Link(current.name, current.import_site))
        current = modules.get(current.parent) if current.parent else None
    links.reverse()
    stage = modules[name].stage
    return ImportChain(name, stage, stage_entry(report, stage), report.project, links)


def short_path(path: str, project: str) -> str:
    """A path as a reader wants it: inside the project or inside site-packages."""
    for marker in ("/site-packages/", "/dist-packages/"):
        if marker in path:
            return path.split(marker, 1)[1]
    root = project.rstrip("/") + "/"
    return path[len(root):] if path.startswith(root) else path


def stage_entry(report: ImportReport, stage: str) -> str:
    """What the boot ran in this stage, for people."""
    if stage == "app" and "asgi" in report.target:
        return "get_asgi_application()"
    return STAGE_ENTRY.get(stage, stage)
