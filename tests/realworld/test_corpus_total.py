"""Across the whole corpus: enough confirmed safe candidates that the invariant of
test_corpus.py proves something. Runs after it (make test-slow), on what its
confirmation tests wrote in this run's results folder."""

import json

CONFIRMED_AT_LEAST = 10


def test_the_corpus_has_enough_confirmed_safe_candidates(results_dir):
    confirmed = []
    for path in sorted(results_dir.glob("*.confirm.json")):
        project = path.name.split(".")[0]
        confirmed += [(project, c["module"]) for c in json.loads(path.read_text())["candidates"]
                      if c["verdict"] == "safe" and (c.get("confirmation") or {}).get("confirmed")]
    assert len(confirmed) >= CONFIRMED_AT_LEAST, confirmed
