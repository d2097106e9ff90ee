"""The offline roster (GET /api/roster): how big a station's whole roster is, how long the
server takes to make it, and what a delta after a few scans costs.

    .venv/bin/python bench/bench_roster.py [--people 222 3000] [--repeat 5]

For each size: a fresh SQLite file with that many fictional registrations (bench_import's
generator) and a reception station, the Flask test client (no network: the server's own
cost), `?since=0` (the whole roster) and, after 10 scans, `?since=VERSION` (the delta).
Sizes are the JSON as sent and gzip-compressed (what a proxy with compression would send).
Medians of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_import import make_csv  # noqa: E402
from kiosk import create_app  # noqa: E402
from kiosk.checkin.auth import create_station  # noqa: E402
from kiosk.registrations.importer import import_registrations  # noqa: E402
from kiosk.store import attendees, connect  # noqa: E402
from tests.clocks import pinned  # noqa: E402


def measure(people: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "k.db"
        app = create_app({"DATABASE": str(path), "SECRET_KEY": "bench", "TESTING": True,
                          "CLOCK": pinned()})
        event = app.extensions["kiosk.event"]
        with connect(path) as db:
            import_registrations(db, event, make_csv(people, seed=1), "bench.csv")
            _station, token = create_station(db, event, "reception", "Onthaal")
            codes = [a.badge_code for a in attendees.all_attendees(db)[:10]]
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        full_ms, delta_ms = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            full = client.get("/api/roster", headers=headers)
            full_ms.append((time.perf_counter() - started) * 1000)
        version = full.get_json()["version"]
        for code in codes:
            client.post("/api/scans", json={"code": code}, headers=headers)
        for _ in range(repeat):
            started = time.perf_counter()
            delta = client.get(f"/api/roster?since={version}", headers=headers)
            delta_ms.append((time.perf_counter() - started) * 1000)
        return {"people": people, "full_kb": len(full.data) / 1024,
                "full_gz_kb": len(gzip.compress(full.data)) / 1024,
                "full_ms": statistics.median(full_ms),
                "delta_entries": len(delta.get_json()["entries"]),
                "delta_kb": len(delta.data) / 1024, "delta_ms": statistics.median(delta_ms)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, nargs="+", default=[222, 3000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| people | whole roster | gzip | made in | delta after 10 scans | made in |")
    print("|---:|---:|---:|---:|---:|---:|")
    for people in args.people:
        r = measure(people, args.repeat)
        print(f"| {r['people']:,} | {r['full_kb']:.0f} kB | {r['full_gz_kb']:.0f} kB"
              f" | {r['full_ms']:.0f} ms | {r['delta_entries']} entries, {r['delta_kb']:.1f} kB"
              f" | {r['delta_ms']:.1f} ms |")


if __name__ == "__main__":
    main()
