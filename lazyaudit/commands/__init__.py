"""One module per command: each declares its click command with its own options, and
holds the command's workflow (parse, call the domain, render, return an exit code).

COMMANDS lists them for cli.py; a new command is a new module and one line here.
"""

from .check import check
from .fix import fix
from .lint import lint
from .measure import measure
from .rank import rank
from .report import report
from .requests import requests
from .why import why
from .workers import workers

COMMANDS = [measure, rank, fix, why, check, report, workers, requests, lint]
