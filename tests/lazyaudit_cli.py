"""Run the real lazyaudit command line in a subprocess, as a user would.

Shared by tests/conftest.py and tests/realworld/, which has a conftest of its own.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Result:
    def __init__(self, completed: subprocess.CompletedProcess):
        self.code = completed.returncode
        self.out = completed.stdout
        self.err = completed.stderr

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"<exit {self.code}>\nstdout:\n{self.out}\nstderr:\n{self.err}"


def lazyaudit(*args, cwd=None, env=None, timeout=600) -> Result:
    """Run the real command line in a subprocess, as a user would."""
    completed = subprocess.run(
        [sys.executable, "-m", "lazyaudit", *map(str, args)],
        cwd=cwd or ROOT, capture_output=True, text=True, timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return Result(completed)
