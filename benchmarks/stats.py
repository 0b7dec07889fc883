"""Small statistics over measured samples; every helper returns None when there is nothing to measure."""

from __future__ import annotations

import math
from collections.abc import Sequence


def mean(values: Sequence[float]) -> float | None:
    """Arithmetic mean."""
    return sum(values) / len(values) if values else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The `q`-th percentile (0..100), linearly interpolated between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """`numerator / denominator`, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def growth(series: Sequence[float], window: int = 5, skip: int = 5) -> float | None:
    """Mean of the last `window` values over the mean of the `window` after the first `skip` (1.0 = flat).

    Skipping the opening leaves like-for-like windows when a conversation repeats a pattern of `window` turns.
    """
    if len(series) < skip + 2 * window:
        return None
    return ratio(mean(series[-window:]), mean(series[skip : skip + window]))


def window_figures(series: Sequence[float], window: int = 5, skip: int = 5) -> dict[str, float | None]:
    """The series with the means of the windows `growth` compares and their ratio."""
    late = series[-window:] if len(series) >= skip + 2 * window else []
    return {
        "series": list(series),
        "turns_6_10_mean": mean(series[skip : skip + window]) if late else None,
        "turns_16_20_mean": mean(late) if late else None,
        "growth": growth(series, window, skip),
    }


def slope(series: Sequence[float]) -> float | None:
    """Least-squares slope of the values against their position (change per step)."""
    n = len(series)
    if n < 2:
        return None
    x_mean, y_mean = (n - 1) / 2, sum(series) / n
    spread = sum((x - x_mean) ** 2 for x in range(n))
    return sum((x - x_mean) * (y - y_mean) for x, y in enumerate(series)) / spread
