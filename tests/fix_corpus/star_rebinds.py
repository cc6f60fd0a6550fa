"""Exports a `compute` of its own, for case_star_after_binding."""


def compute(value):
    return f"rebound {value}"
