"""How every JSON document lazyaudit writes is laid out.

One top-level key per line, and one line per module or candidate: readable,
friendly to diffs of a baseline kept in git, and written by json's C encoder
(`indent` falls back to the pure-Python one, which took longer than a small boot).
The import edges, thousands of short items, go on one line each list: a call of
the encoder per item would cost more than all the rest.
"""

import json

ONE_LINE = {"edges", "edge_sites"}


def to_text(document: dict) -> str:
    parts = []
    for key, value in document.items():
        if isinstance(value, list) and value and key not in ONE_LINE:
            items = ",\n  ".join(json.dumps(item) for item in value)
            parts.append(f"{json.dumps(key)}: [\n  {items}\n ]")
        else:
            parts.append(f"{json.dumps(key)}: {json.dumps(value)}")
    return "{\n " + ",\n ".join(parts) + "\n}"
