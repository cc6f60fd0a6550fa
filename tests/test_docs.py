"""The command-line reference shows each command's real --help."""

import re

import pytest

from conftest import ROOT, lazyaudit

COMMANDS = ["measure", "rank", "fix", "why", "check", "report", "workers", "requests",
            "lint"]


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_reference_matches_the_help(command):
    text = (ROOT / "docs/cli.md").read_text()
    found = re.search(r"## " + command + r"\n\n```\n(Usage: lazyaudit " + command + r".*?)```\n",
                      text, re.S)
    assert found, f"docs/cli.md has no help block for {command}"
    result = lazyaudit(command, "--help", env={"COLUMNS": "80"})
    assert result.code == 0
    assert found.group(1) == result.out.replace("Usage: python -m lazyaudit", "Usage: lazyaudit")
