"""Generated modules combining imports with every use class: `fix --select` of what
they import must leave every result as it was, and rewrite at least half of them.
tests/slow/ runs the same check on 1,000 modules."""

from generated import check_generated


def test_fix_keeps_the_behaviour_of_100_generated_modules(tmp_path):
    check_generated(tmp_path / "generated", count=100, seed=810)
