"""The chain of imports from the entry point to the module that first loaded something."""

from __future__ import annotations

from dataclasses import dataclass

from .model import ImportReport, ImportSite

STAGE_ENTRY = {
    "setup": "django.setup()",
    "urls": "URL patterns (ROOT_URLCONF)",
    "app": "get_wsgi_application()",
    "import": "import of the target module",
    "run": "the script",
    "startup": "interpreter startup",
}


@dataclass(slots=True)
class Link:
    module: str
    site: ImportSite | None      # the line that imported `module`


def import_chain(report: ImportReport, name: str) -> list[Link]:
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
    return links


def short_path(path: str, project: str) -> str:
    """A path as a reader wants it: inside the project or inside site-packages."""
    for marker in ("/site-packages/", "/dist-packages/"):
        if marker in path:
            return path.split(marker, 1)[1]
    root = project.rstrip("/") + "/"
    return path[len(root):] if path.startswith(root) else path


def entry_point(report: ImportReport, name: str) -> str:
    module = report.module(name)
    return stage_entry(report, module.stage if module else "")


def stage_entry(report: ImportReport, stage: str) -> str:
    """What the boot ran in this stage, for people."""
    if stage == "app" and "asgi" in report.target:
        return "get_asgi_application()"
    return STAGE_ENTRY.get(stage, stage)


def format_chain(report: ImportReport, name: str) -> str:
    links = import_chain(report, name)
    module = report.module(name)
    lines = [f"{name} is loaded at startup (stage: {module.stage}) by this chain:",
             f"  {entry_point(report, name)}"]
    for depth, link in enumerate(links, start=1):
        where = (f"  {short_path(link.site.file, report.project)}:{link.site.line}"
                 if link.site else "")
        lines.append(f"  {'  ' * depth}-> {link.module}{where}")
    return "\n".join(lines)
