"""The verdicts of analysis/growth.py on series shaped like the ones requests reads."""

import pytest

from lazyaudit.analysis.growth import judge, slope

XS = [0, 100, 200, 300, 400, 500]


def test_slope_is_the_least_squares_fit():
    assert slope(XS, [0, 50, 100, 150, 200, 250]) == pytest.approx(0.5)
    assert slope(XS, [7] * 6) == 0
    assert slope([0], [3]) == 0


@pytest.mark.parametrize("ys, floor, expected", [
    ([2, 6, 10, 14, 18, 22], 0, ("leak", None)),            # a list appended per export
    ([48, 128, 128, 128, 128, 128], 0, ("plateau", 100)),   # an lru_cache(maxsize=128)
    ([48, 98, 128, 128, 128, 128], 0, ("plateau", 200)),
    ([5, 5, 5, 5, 5, 5], 0, ("flat", None)),
    ([0, 300, 200, 500, 100, 400], 1024, ("flat", None)),   # noise under the floor
    ([0, 4000, 4100, 4050, 4090, 4080], 1024, ("plateau", 100)),
    ([0, 0, 0, 0, 0, 9000], 1024, ("leak", None)),          # grew late: not stopped
    ([0, 9000, 0, 0, 0, 0], 1024, ("flat", None)),          # a spike that went away
])
def test_leak_plateau_or_flat(ys, floor, expected):
    assert judge(XS, ys, floor) == expected


def test_a_series_with_gaps_is_not_judged():
    assert judge(XS, [1, None, 3, 4, 5, 6], 0) == ("flat", None)
