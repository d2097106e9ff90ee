"""What every bench module's `measure()` returns, and the small helpers they share."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def row(figure: str, value: float, unit: str, floor: float | None = None,
        target: str = "") -> dict:
    """One line of the `make bench` table: a figure, and beside it its floor (the same
    work's least possible cost, measured in the same run) and the target."""
    return {"figure": figure, "value": value, "unit": unit, "floor": floor, "target": target}


def timings(call: Callable[[], object], times: int) -> list[float]:
    """Seconds per call, `times` calls."""
    result = []
    for _ in range(times):
        start = time.perf_counter()
        call()
        result.append(time.perf_counter() - start)
    return result


def pct(values: list[float], q: int) -> float:
    """The q-th percentile (ms when `values` are seconds: callers scale)."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]
