"""The memory of one process as the kernel accounts it, from /proc/PID/smaps_rollup.

PSS divides each shared page among the processes that map it, so the sum of PSS
over the server's processes is what the machine pays. USS (private clean + dirty)
is what ending one process frees. Pss_Anon (heap, Python objects) is compared
between configurations; Pss_File moves with whatever else maps the same libraries.
"""

from __future__ import annotations

from ..model.workers import ProcessMemory

# smaps_rollup's lines (kB) -> what they add to.
ROLLUP = {
    "Rss": ("rss",), "Pss": ("pss",), "Pss_Anon": ("pss_anon",), "Pss_File": ("pss_file",),
    "Private_Clean": ("uss",), "Private_Dirty": ("uss",),
    "Shared_Clean": ("shared",), "Shared_Dirty": ("shared",), "Swap": ("swap",),
}


def read_memory(pid: int, role: str) -> ProcessMemory | None:
    """The process's memory now; None when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as handle:
            text = handle.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    memory = ProcessMemory(pid, role)
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        for name in ROLLUP.get(key, ()):
            setattr(memory, name, getattr(memory, name) + int(rest.split()[0]) * 1024)
    return memory if memory.rss else None   # a zombie maps nothing


def memory_available() -> int | None:
    """MemAvailable of /proc/meminfo, in bytes."""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def smaps_pss(pid: int) -> int:
    """The sum of Pss over every mapping of /proc/PID/smaps: an independent reading
    of what smaps_rollup sums (used to check it)."""
    total = 0
    try:
        with open(f"/proc/{pid}/smaps", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return total
