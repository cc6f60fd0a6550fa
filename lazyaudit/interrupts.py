"""Ctrl-C, SIGTERM and SIGHUP end a command through its `finally` blocks, which stop
every process lazyaudit started and remove its scratch folders.

Python raises a signal's exception wherever the main thread happens to be. Two places
turn that into a hang: inside importlib's own code (a module lock's weakref callback
that has just taken the import lock), where the exception is swallowed ("Exception
ignored in ...") and the lock stays taken while another thread imports; and a loop
that waits for a process. So the handler puts the signal off while importlib's code
runs, and every signal is noted, for the waiting loops to raise again.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

HANDLED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
RETRY = 0.01    # seconds until a signal put off is delivered again

_received: list[int] = []


@contextlib.contextmanager
def ending_on_signals():
    """Install the handler for the duration of a command (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _handle) for number in HANDLED}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        _received.clear()


def raise_if_signalled() -> None:
    """Raise for a signal that came, also one whose exception Python swallowed."""
    if _received:
        _raise_for(_received[0])


def _handle(signum, frame):
    if frame is not None and frame.f_code.co_filename.startswith("<frozen importlib"):
        threading.Timer(RETRY, os.kill, (os.getpid(), signum)).start()
        return
    for number in HANDLED:     # once is enough: let the cleanup run
        signal.signal(number, signal.SIG_IGN)
    _received.append(signum)
    _raise_for(signum)


def _raise_for(signum: int):
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)
