"""What the user sees on stderr while a target boots: a progress line on a
terminal for boots longer than a second, and warnings."""

from __future__ import annotations

import shutil
import sys
import threading
import time
from dataclasses import dataclass
from typing import TextIO


@dataclass(slots=True)
class BootProgress:
    """The probe's last progress line: the stage, how many modules have started
    to load, and the last of them."""

    stage: str
    modules: int
    module: str
    at: float = 0.0    # seconds into the boot when it came

    @classmethod
    def parse(cls, line: str) -> BootProgress | None:
        parts = line.split(" ", 2)
        if len(parts) != 3 or not parts[1].isdigit():
            return None
        return cls(parts[0], int(parts[1]), parts[2])


class BootDisplay:
    """Draws the progress line (when asked to) and writes warnings on `stream`."""

    DELAY = 1.0      # seconds: shorter boots show no progress at all
    REDRAW = 0.1     # seconds between two drawings of the line

    def __init__(self, stream: TextIO | None = None, progress: bool = False):
        self.stream = stream
        self.progress = progress and stream is not None
        self.shown = False
        self.drawn_at = 0.0
        self.warned: set = set()
        # Set once a probe runs: lazyaudit's own work beside the boot waits for it,
        # so as not to delay the boot's start.
        self.started = threading.Event()

    @classmethod
    def on_stderr(cls, quiet: bool = False) -> BootDisplay:
        """Progress only on a terminal, and not with --quiet; warnings always."""
        stream = sys.stderr
        return cls(stream, progress=not quiet and _is_terminal(stream))

    def update(self, what: str, state: BootProgress | None, elapsed: float) -> None:
        now = time.monotonic()
        if not self.progress or elapsed < self.DELAY or now - self.drawn_at < self.REDRAW:
            return
        self.drawn_at = now
        serving = state is not None and state.stage.startswith(("warmup", "round-"))
        text = f"{'running' if serving else 'booting'} {what}: "
        if serving:   # the request phase of `requests`: requests sent, the last path
            text += f"{state.stage.replace('-', ' ')}, {state.modules} sent, "
        elif state is not None:
            text += f"stage {state.stage}, {state.modules} modules loaded, "
        text += f"{elapsed:.1f} s"
        width = shutil.get_terminal_size((80, 24)).columns - 1
        if state is not None and len(text) + len(state.module) + 12 <= width:
            text += f", {'last' if serving else 'importing'} {state.module}"
        self._write("\r" + text[:width] + "\x1b[K")
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self._write("\r\x1b[K")
            self.shown = False

    def warn(self, text: str, once=None) -> None:
        """Write a warning; with `once`, only the first of those with that key
        (every boot of a --repeat leaves the same server running)."""
        if once is not None:
            if once in self.warned:
                return
            self.warned.add(once)
        self.clear()
        if self.stream is not None:
            self._write(f"lazyaudit: warning: {text}\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            pass   # a closed stderr must not end the boot


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
