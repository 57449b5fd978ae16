"""Summaries of repeated measurements: count, p50, p95, p99, mean, min, max."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import numpy as np


class Summary(TypedDict):
    n: int
    p50: float | None
    p95: float | None
    p99: float | None
    mean: float | None
    min: float | None
    max: float | None


def summarize(values: Sequence[float]) -> Summary:
    """Percentiles (linear interpolation) of `values`; all None when there are none."""
    if not values:
        return Summary(n=0, p50=None, p95=None, p99=None, mean=None, min=None, max=None)
    data = np.asarray(values, dtype=np.float64)
    p50, p95, p99 = (float(v) for v in np.percentile(data, [50, 95, 99]))
    return Summary(
        n=len(data),
        p50=round(p50, 2),
        p95=round(p95, 2),
        p99=round(p99, 2),
        mean=round(float(data.mean()), 2),
        min=round(float(data.min()), 2),
        max=round(float(data.max()), 2),
    )


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator rounded to 2 places; None when either is missing or zero."""
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)
