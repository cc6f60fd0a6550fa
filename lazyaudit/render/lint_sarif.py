"""lint's findings as SARIF 2.1.0, the format GitHub code scanning uploads: every rule
with its documentation (docs/rules/, as Markdown), every finding with its location,
a fingerprint that does not change with its line, and where it runs per request."""

from __future__ import annotations

from .. import __version__
from ..analysis.lint.rules import RULES
from ..model.encoding import to_text
from ..model.lint import LintReport

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def document(report: LintReport) -> dict:
    codes = list(RULES)
    rules = [{"id": rule.code, "name": rule.name,
              "shortDescription": {"text": rule.summary},
              "fullDescription": {"text": rule.summary},
              "help": {"text": rule.summary, "markdown": rule.doc},
              "defaultConfiguration": {"level": "error"}} for rule in RULES.values()]
    results = []
    for finding in report.findings:
        properties = {"state": finding.state, "function": finding.function,
                      "entry": finding.entry, "entryKind": finding.entry_kind,
                      "confirmed": finding.confirmed}
        if finding.confirmed:
            properties["itemsPerRequest"] = finding.items_per_request
            properties["bytesPerRequest"] = finding.bytes_per_request
        results.append({
            "ruleId": finding.code, "ruleIndex": codes.index(finding.code), "level": "error",
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": finding.line, "startColumn": finding.col}}}],
            "partialFingerprints": {"lazyaudit/v1": finding.fingerprint},
            "properties": properties})
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "lazyaudit", "version": __version__, "rules": rules}},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": _uri(report.root)}},
        "results": results}]}


def _uri(root: str) -> str:
    return "file://" + root.rstrip("/") + "/"


def render(report: LintReport, **_options) -> str:
    return to_text(document(report))
