"""The chain of imports that first loaded a module: from the boot's entry down to it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .cost import ImportSite


@dataclass(slots=True)
class Link:
    module: str
    site: ImportSite | None      # the line that imported `module`


@dataclass(slots=True)
class ImportChain:
    module: str
    stage: str
    entry: str                   # what the boot ran in that stage, e.g. "django.setup()"
    project: str                 # the project root, to show paths inside it short
    links: list[Link] = field(default_factory=list)   # outermost first, `module` last

    @property
    def modules(self) -> list[str]:
        return [link.module for link in self.links]
