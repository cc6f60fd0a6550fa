"""The one error boundary: every error lazyaudit reports to its user is a LazyauditError.

An error carries a one-line `message`, optional `details` shown before it (the
target's traceback, a server's stderr) and the process exit code. Helpers raise;
only the top-level entry (`cli.main`) prints and exits. See docs/architecture.md.
"""

from __future__ import annotations

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


class LazyauditError(Exception):
    """Something the user must hear about in one line (plus details), then exit."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, details: str = ""):
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class UsageError(LazyauditError):
    """Options or configuration that cannot be used."""
