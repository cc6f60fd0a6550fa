"""1,000 generated modules through `fix --select` (tests/generated.py), for
`make test-slow`: `python -m pytest tests/slow`."""

from generated import check_generated


def test_fix_keeps_the_behaviour_of_1000_generated_modules(tmp_path):
    check_generated(tmp_path / "generated", count=1000, seed=1000)
