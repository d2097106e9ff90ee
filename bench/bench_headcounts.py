"""Headcount snapshot benchmark: the live screens' snapshot at 10,000 attendees with 3,000
on site, kept up to date (kiosk.headcounts.tallies) and recomputed from everyone
(kiosk.headcounts.snapshots, the reference), beside a bare SELECT of the presence table's
on-site count (the floor: one small read). "After a scan" times a snapshot that first
takes in one new scan, as the live screens' push does after each burst.

    .venv/bin/python bench/bench_headcounts.py [--people 10000] [--on-site 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import _congress  # noqa: E402
from bench._table import pct, row, timings  # noqa: E402
from kiosk.checkin import scans  # noqa: E402
from kiosk.event import load_event  # noqa: E402
from kiosk.headcounts import snapshots, tallies  # noqa: E402
from kiosk.store import attendees, connect  # noqa: E402

BARE = "SELECT count(*) FROM presence WHERE direction = 'in'"


def one_run(path: Path, times: int) -> dict[str, list[float]]:
    event = load_event()
    db, writer = connect(path, migrate=False), connect(path, migrate=False)
    writer.execute("PRAGMA synchronous = OFF")
    clock = _congress.morning_clock(event)
    tallies.snapshot(db, event, clock)  # this process's first snapshot reads everyone
    codes = iter([a.badge_code for a in attendees.all_attendees(db)])

    def after_a_scan():
        scans.scan(writer, event, scans.Scan(next(codes), "onthaal"), clock)
        start = time.perf_counter()
        tallies.snapshot(db, event, clock, ())
        return time.perf_counter() - start

    result = {
        "kept": timings(lambda: tallies.snapshot(db, event, clock, ()), times),
        "after a scan": [after_a_scan() for _ in range(times)],
        "host": timings(lambda: tallies.snapshot(db, event, clock, ("zaal-3",)), times),
        "full": timings(lambda: snapshots.snapshot(db, event, clock), max(3, times // 10)),
        "bare": timings(lambda: db.execute(BARE).fetchone(), times),
    }
    db.close()
    writer.close()
    return result


def measure(quick: bool = False, people: int = 10_000, on_site: int = 3_000,
            repeat: int = 3) -> list[dict]:
    """Rows for the `make bench` table: snapshot p50 kept, after a scan, recomputed."""
    times = 20 if quick else 100
    repeat = 1 if quick else repeat
    with tempfile.TemporaryDirectory() as tmp:
        path = _congress.build(Path(tmp), people=people, on_site=on_site)
        runs = [one_run(path, times) for _ in range(repeat)]

    def median(kind: str, q: int = 50) -> float:
        return statistics.median(pct(r[kind], q) for r in runs) * 1e3

    label = f"snapshot at {people:,} attendees, {on_site:,} on site"
    bare = median("bare")
    return [
        row(f"{label}, kept, p50", median("kept"), "ms", bare, "< 10 ms"),
        row(f"{label}, after a scan, p50", median("after a scan"), "ms", bare, "< 10 ms"),
        row(f"{label}, after a scan, p99", median("after a scan", 99), "ms", bare, ""),
        row(f"{label}, a host's room, p50", median("host"), "ms", bare, "< 10 ms"),
        row(f"{label}, recomputed (before), p50", median("full"), "ms", bare, ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--on-site", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'figure':<62} {'value':>9} {'floor':>9}  target")
    for r in measure(people=args.people, on_site=args.on_site, repeat=args.repeat):
        print(f"{r['figure']:<62} {r['value']:7.2f}ms {r['floor']:7.3f}ms  {r['target']}")


if __name__ == "__main__":
    main()
