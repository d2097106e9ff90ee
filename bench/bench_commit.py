"""Commit benchmark: durable write transactions per second, SQLite's synchronous=FULL
against kiosk's group commit (kiosk.store.durability), with 1 and 8 writer threads.

    .venv/bin/python bench/bench_commit.py [--transactions 300] [--repeat 3]

Each writer has its own connection and commits `--transactions` one-row transactions
through `kiosk.store.transaction`, on a fresh file under instance/ (the disk the real
database lives on). FULL: every COMMIT fsyncs the WAL while holding the write lock.
Group: COMMIT writes the WAL and one fsync outside the lock serves every commit that
returned before it started. Both are on disk before `transaction()` returns. The table
shows medians of `--repeat` runs and the fsyncs the group commit needed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.store import connect, durability, transaction  # noqa: E402


def writers(path: Path, threads: int, count: int, mode: str) -> float:
    """Transactions per second of `threads` writers committing `count` each."""
    barrier = threading.Barrier(threads + 1)

    def write() -> None:
        db = connect(path, migrate=False)
        if mode == "full":  # SQLite's own durability: fsync inside COMMIT, under the lock
            db.conn.execute("PRAGMA synchronous = FULL")
            db.syncer = db.write_lock = None
        barrier.wait()
        for n in range(count):
            with transaction(db):
                db.execute("INSERT INTO notes VALUES (?)", [n])
        db.close()

    pool = [threading.Thread(target=write) for _ in range(threads)]
    for thread in pool:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    return threads * count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transactions", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    (ROOT / "instance").mkdir(exist_ok=True)
    rates: dict[tuple[str, int], list[float]] = {}
    fsyncs: dict[int, list[int]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-commit-", dir=ROOT / "instance") as tmp:
        for run in range(args.repeat):
            for threads in (1, 8):
                for mode in ("full", "group"):
                    path = Path(tmp) / f"{mode}-{threads}-{run}.db"
                    db = connect(path, migrate=False)
                    db.execute("CREATE TABLE notes (n INTEGER)")
                    keep_open = db  # the WAL stays in place between the writers
                    syncer = durability.for_path(path)
                    before = syncer.fsyncs
                    rate = writers(path, threads, args.transactions, mode)
                    rates.setdefault((mode, threads), []).append(rate)
                    if mode == "group":
                        fsyncs.setdefault(threads, []).append(syncer.fsyncs - before)
                    keep_open.close()
    print(f"commit benchmark: {args.transactions} one-row transactions per writer, "
          f"median of {args.repeat} runs")
    print(f"{'writers':>7} | {'FULL tx/s':>9} | {'group tx/s':>10} | {'ratio':>5} | "
          "fsyncs per 100 commits (group)")
    for threads in (1, 8):
        full = statistics.median(rates[("full", threads)])
        group = statistics.median(rates[("group", threads)])
        per100 = 100 * statistics.median(fsyncs[threads]) / (threads * args.transactions)
        print(f"{threads:>7} | {full:9.0f} | {group:10.0f} | {group / full:5.2f} | {per100:.0f}")


if __name__ == "__main__":
    main()
