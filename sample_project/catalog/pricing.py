"""Price bands shown as filters in the catalogue."""

# numpy must stay a top-level import: PRICE_BANDS below is built with it
# while this module is imported, so the name is used at module level.
import numpy as np

# Band boundaries in euros: a price below 10 is "budget", from 10 up to
# (not including) 30 is "everyday", and so on.
PRICE_BANDS = np.array([10, 30, 100, 300, 1000], dtype=float)

BAND_LABELS = ("budget", "everyday", "mid-range", "premium", "luxury", "exclusive")


def price_band(price):
    """Return the label of the band that ``price`` falls into."""
    index = int(np.searchsorted(PRICE_BANDS, float(price), side="right"))
    return BAND_LABELS[index]
