"""Import benchmark: 10,000 registrations imported, re-imported unchanged, and re-imported
with 10 % changed, into a fresh SQLite file. Target: < 3 s for each on a 2-core machine.

    .venv/bin/python bench/bench_import.py [--rows 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
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


def first_import_alone(source: Path, floor: bool) -> None:
    """In this process: read the file, then import it into a fresh database (or, for the
    floor, only read its rows with the csv module); prints the seconds as JSON."""
    data = source.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        if floor:
            sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
        else:
            db = connect(Path(tmp) / "bench.db")
            import_registrations(db, load_event(), data, "bench.csv")
            db.close()
        print(json.dumps({"seconds": time.perf_counter() - start}))


def in_own_process(source: Path, floor: bool) -> tuple[float, float]:
    """(seconds, peak resident MB) of `first_import_alone` in a fresh process."""
    from bench._table import run_measured

    cmd = [sys.executable, __file__, "--alone", str(source)] + (["--floor"] * floor)
    done = run_measured(cmd)
    if done["code"] != 0:
        raise RuntimeError(f"{cmd} failed")
    return json.loads(done["stdout"])["seconds"], done["peak_mb"]


def measure(quick: bool = False) -> list[dict]:
    """Rows for the `make bench` table: a first import of 100,000 rows (10,000 when quick),
    rows per second and peak memory, each in its own process, beside the csv module
    reading the same file in a process of its own (the floor); medians of 3 runs."""
    from bench._table import row

    rows, repeat = (10_000, 1) if quick else (100_000, 3)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "inschrijvingen.csv"
        source.write_bytes(make_csv(rows, 1))
        runs = [in_own_process(source, False) for _ in range(repeat)]
        floors = [in_own_process(source, True) for _ in range(repeat)]
    label = f"first import of {rows:,} rows"
    return [
        row(f"{label}, rows per second", statistics.median(rows / r[0] for r in runs), "/s",
            statistics.median(rows / f[0] for f in floors), ">= 10,000 /s"),
        row(f"{label}, peak memory", statistics.median(r[1] for r in runs), "MB",
            statistics.median(f[1] for f in floors), "< 300 MB"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--alone", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.alone:
        return first_import_alone(args.alone, args.floor)
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
