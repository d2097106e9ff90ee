"""Import benchmark: 10,000 registrations imported, re-imported unchanged, and re-imported
with 10 % changed, into a fresh SQLite file. Target: < 3 s for each on a 2-core machine.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.event import load_event  # noqa: E402
from kiosk.registrations.demo import FIRST, FUNCTIONS, HEADER, LAST  # noqa: E402
from kiosk.registrations.importer import import_registrations  # noqa: E402
from kiosk.store import connect  # noqa: E402


def make_csv(n: int, seed: int, changed: float = 0.0) -> bytes:
    event, rng = load_event(), random.Random(seed)
    themes = [t.name for t in event.themes]
    besturen = [b.name for b in event.besturen]
    lines = [";".join(HEADER)]
    for i in range(n):
        pick = random.Random(i)  # the same person every time, whatever `changed` is
        first, last = pick.choice(FIRST), pick.choice(LAST)
        morning = pick.choice(themes)
        if rng.random() < changed:
            morning = rng.choice(themes)
        lines.append(";".join([first, last, f"p{i}@{pick.choice(besturen).lower()}.be",
                               pick.choice(besturen), pick.choice(FUNCTIONS), morning,
                               pick.choice(themes), "ja", pick.choice(["", "Vegetarisch"]),
                               "nee", ""]))
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def timed(db, data: bytes) -> tuple[float, dict]:
    start = time.perf_counter()
    plan = import_registrations(db, load_event(), data, "bench.csv")
    return time.perf_counter() - start, plan.counts()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    original, changed = make_csv(args.rows, 1), make_csv(args.rows, 1, changed=0.10)
    results: dict[str, list[float]] = {"first import": [], "re-import, unchanged": [],
                                       "re-import, 10 % changed": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            db = connect(Path(tmp) / "bench.db")
            for label, data in zip(results, [original, original, changed], strict=True):
                seconds, counts = timed(db, data)
                results[label].append(seconds)
            db.close()
    print(f"import benchmark: {args.rows} rows, {args.repeat} runs (median, min, max in s)")
    print(f"{'step':<26} {'median':>8} {'min':>8} {'max':>8}  target")
    for label, times in results.items():
        print(f"{label:<26} {statistics.median(times):8.2f} {min(times):8.2f} "
              f"{max(times):8.2f}  < 3 s")
    print(f"last re-import counts: {counts}")


if __name__ == "__main__":
    main()
