"""An import chain as the lines `why` prints and `check` shows under a broken limit."""

from __future__ import annotations

from ..analysis.chain import short_path
from ..model import ImportChain


def chain_lines(chain: ImportChain) -> list[str]:
    lines = [f"{chain.module} is loaded at startup (stage: {chain.stage}) by this chain:",
             f"  {chain.entry}"]
    for depth, link in enumerate(chain.links, start=1):
        where = (f"  {short_path(link.site.file, chain.project)}:{link.site.line}"
                 if link.site else "")
        lines.append(f"  {'  ' * depth}-> {link.module}{where}")
    return lines


def render(chain: ImportChain) -> str:
    return "\n".join(chain_lines(chain))
