"""Plain data, and the one place that knows each JSON schema lazyaudit writes.

report   one boot: modules, costs, edges, and the ranking and what-if sections
ranking  the candidates for deferral (also `rank --format json`)
check    a check's results and the worker projection (`check --format json`)
fix      what `fix` deferred and left alone (`fix --format json`)
workers  what N real server workers cost, per round and process (`workers --format json`)
requests what requests add to a worker and keep: sites, state, late imports
         (`requests --format json`; imported as lazyaudit.model.requests)
lint     lint's findings and its baseline file (`lint --format json`)
chain    the chain of imports that loaded a module
cost     Cost and ImportSite, shared by all of them
"""

from .chain import ImportChain, Link
from .check import CheckOutcome, Margin, Projection, Result
from .cost import MEASURES, Cost, ImportSite
from .fix import (CHECK, DRY_RUN, RESTORED, WRITE, DeferredImport, FixOutcome, LeftAlone,
                  Verification)
from .lint import LintFinding, LintReport
from .ranking import (Confirmation, CoverageEvidence, Deferral, RankedCandidate, Ranking,
                      SiteJudgement, Uses)
from .report import (SCHEMA, DeferredSite, Edge, ImportReport, Module, ReportError, Totals,
                     WhatIf)
from .workers import (WORKERS_SCHEMA, Advice, Comparison, Configuration, LateImport,
                      ProcessMemory, Round, WorkersReport, WorkersRun)

__all__ = [
    "CHECK", "CheckOutcome", "Confirmation", "Cost", "CoverageEvidence", "DRY_RUN", "Deferral",
    "DeferredImport", "DeferredSite", "Edge", "FixOutcome", "ImportChain", "ImportReport",
    "LintFinding", "LintReport",
    "ImportSite", "LeftAlone", "Link", "MEASURES", "Margin", "Module", "Projection",
    "RESTORED", "RankedCandidate", "Ranking", "ReportError", "Result", "SCHEMA",
    "SiteJudgement", "Totals", "Uses", "Verification", "WRITE", "WhatIf",
    "WORKERS_SCHEMA", "Advice", "Comparison", "Configuration", "LateImport", "ProcessMemory",
    "Round", "WorkersReport", "WorkersRun",
]
