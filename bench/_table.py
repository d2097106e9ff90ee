"""What every bench module's `measure()` returns, and the small helpers they share."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path


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


# Runs a command and writes its wall time, CPU time and peak memory to a file. A child's
# peak (ru_maxrss) on Linux counts the memory of the process it was forked from, up to the
# exec: measured straight from `bench/table.py`, which holds hundreds of MB by then, every
# command would seem to need at least that much. Forked from this small launcher instead,
# a command's peak is its own.
_LAUNCHER = """
import json, os, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
proc = subprocess.Popen(cmd)
_, status, usage = os.wait4(proc.pid, 0)
json.dump({"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
           "peak_mb": usage.ru_maxrss / 1024, "code": os.waitstatus_to_exitcode(status)},
          open(out, "w"))
"""


def run_measured(cmd: list[str], **popen) -> dict:
    """Run `cmd` to its end: {"wall", "cpu" (s), "peak_mb", "code", "stdout"}."""
    import json
    import subprocess
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        done = subprocess.run([sys.executable, "-c", _LAUNCHER, out.name, *cmd],
                              stdout=subprocess.PIPE, **popen)
        result = json.loads(Path(out.name).read_text())
    result["stdout"] = done.stdout
    return result
