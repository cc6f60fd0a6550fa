"""The report as versioned JSON (schema in docs/json-schema.md)."""

import json


def render(report) -> str:
    return json.dumps(report.to_json(), indent=1)
