"""A check's outcome as JSON (keys in docs/ci.md)."""

import json


def render(outcome) -> str:
    return json.dumps(outcome.to_json(), indent=1)
