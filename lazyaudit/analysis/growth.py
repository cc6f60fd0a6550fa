"""Growth over rounds of requests: the least-squares slope per request, and whether a
series is a leak (still growing over the last half of the rounds), a plateau (grew,
then stopped within the measured rounds) or flat. Pure functions."""

from __future__ import annotations


def slope(xs: list[float], ys: list[float]) -> float:
    """The least-squares slope of ys over xs (0 for fewer than two distinct xs)."""
    points = [(x, y) for x, y in zip(xs, ys) if y is not None]
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


def judge(xs: list[int], ys: list[float], floor: float) -> tuple[str, int | None]:
    """("leak" | "plateau" | "flat", the request count where a plateau was reached).

    `xs` are the requests sent at each reading (the first, 0, is the end of the
    warm-up). Flat: it grew by no more than `floor` over the run. Plateau: it grew,
    but by no more than `floor` over the last half of the rounds. Leak: it kept
    growing.
    """
    values = [y for y in ys if y is not None]
    if len(values) < 3 or len(values) != len(ys):
        return "flat", None
    total = values[-1] - values[0]   # what stayed: a spike that went away is no growth
    if total <= floor:
        return "flat", None
    rounds = len(values) - 1
    middle = rounds - rounds // 2          # the reading where the last half starts
    last_half = values[-1] - values[middle]
    if last_half <= floor:
        final = values[-1]
        reached = next(i for i, y in enumerate(values) if final - y <= floor)
        return "plateau", xs[reached]
    return "leak", None
