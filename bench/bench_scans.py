"""Scan API benchmark: POST /api/scans against a bare Flask endpoint on the same server.

    .venv/bin/python bench/bench_scans.py [--people 3000] [--scans 2000] [--repeat 3]

Each run builds a fresh SQLite file (WAL, every commit fsynced before it is acknowledged)
in a temporary folder under instance/, on the disk the real database lives on (a tmpfs
would make every fsync free), with ~3,000 fictional registrations and one reception
station, then starts the real
production server (gunicorn on gevent via `kiosk.serving.server.serve`, in a subprocess on a free
port of 127.0.0.1) whose app also carries `POST /bench/bare`: a Flask view that reads the
JSON body and answers a tiny JSON. Measured, with keep-alive `http.client` connections:

1. latency of 2,000 sequential scans (distinct badges, each a fresh scan_id: all
   `checked_in`) and 2,000 sequential bare calls, alternated in blocks of 100 so machine
   noise hits both;
2. throughput with 8 concurrent stations (8 threads, one connection each) sending the
   remaining ~1,000 distinct badges plus 250 repeats of badges already in (`already`),
   beside the bare endpoint's throughput under the same 8-thread load (bare and scan
   load take turns, half of the codes each time; each path gets at most `--seconds`,
   8 s by default, so a slow server keeps the run short).

The client's own cost (Python http.client, same process for 8 threads) is in every figure
and the same for both columns. Every run is repeated (`--repeat`, default 3) and the table
shows medians. Afterwards the database is checked: one movement per successful check-in,
none lost or doubled. `--profile DIR` runs the server under py-spy (`pip install py-spy`)
and writes its collapsed stacks per run (input for flamegraph.pl or speedscope).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._server import BARE_PATH, ServerProcess  # noqa: E402
from bench.bench_import import make_csv  # noqa: E402
from kiosk.checkin import scans  # noqa: E402
from kiosk.checkin.auth import create_station  # noqa: E402
from kiosk.event import load_event  # noqa: E402
from kiosk.registrations.importer import import_registrations  # noqa: E402
from kiosk.store import connect  # noqa: E402

SCAN_PATH = "/api/scans"
INSTANCE = Path(__file__).resolve().parents[1] / "instance"


@dataclass
class Fixture:
    db_path: Path
    token: str
    codes: list[str]


@dataclass
class Run:
    """What one run measured."""
    latency: dict[str, list[float]] = field(default_factory=dict)  # path -> seconds
    throughput: dict[str, float] = field(default_factory=dict)  # path -> requests/s
    results: Counter = field(default_factory=Counter)  # scan results seen by the clients
    sent: list[str] = field(default_factory=list)  # codes scanned under load
    check: dict = field(default_factory=dict)


def make_fixture(folder: Path, people: int) -> Fixture:
    """A fresh database: `people` registrations and one reception station."""
    path = folder / "bench.db"
    db, event = connect(path), load_event()
    import_registrations(db, event, make_csv(people, 7), "bench.csv")
    _, token = create_station(db, event, "reception", "bench")
    codes = [r["badge_code"] for r in db.query(
        "SELECT badge_code FROM attendees WHERE status = 'registered' ORDER BY id")]
    db.close()
    random.Random(7).shuffle(codes)
    return Fixture(path, token, codes)


class Client:
    """One keep-alive connection, the way a station talks to the server."""

    def __init__(self, port: int, token: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Content-Type": "application/json",
                        "Authorization": f"Bearer {token}"}

    def post(self, path: str, payload: dict) -> tuple[float, dict]:
        body = json.dumps(payload).encode()
        start = time.perf_counter()
        self.conn.request("POST", path, body=body, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}: {data[:200]!r}")
        return elapsed, json.loads(data)

    def scan(self, code: str) -> tuple[float, str]:
        elapsed, data = self.post(SCAN_PATH, {"code": code, "scan_id": str(uuid.uuid4())})
        return elapsed, data["result"]

    def bare(self, code: str) -> tuple[float, str]:
        elapsed, _ = self.post(BARE_PATH, {"code": code, "scan_id": str(uuid.uuid4())})
        return elapsed, "ok"

    def close(self) -> None:
        self.conn.close()


def warm_up(client: Client) -> None:
    """Imports, caches and the first connection before anything is timed (writes nothing:
    a code that fails its check character is 'unknown')."""
    for _ in range(50):
        client.bare("WARMUP")
        client.scan("0000000000000000X")


def latency(client: Client, codes: list[str], block: int, run: Run) -> None:
    """Sequential scans and bare calls, alternating blocks (and which goes first)."""
    scans, bares = run.latency.setdefault(SCAN_PATH, []), run.latency.setdefault(BARE_PATH, [])
    for n, start in enumerate(range(0, len(codes), block)):
        chunk = codes[start:start + block]
        order = [(client.scan, scans), (client.bare, bares)]
        for call, times in order if n % 2 == 0 else reversed(order):
            for code in chunk:
                elapsed, result = call(code)
                times.append(elapsed)
                if call == client.scan:
                    run.results[result] += 1


def hammer(port: int, token: str, path: str, jobs: list[list[str]], run: Run,
           seconds: float) -> tuple[int, float]:
    """Every thread sends its own list of codes at once, for at most `seconds`; returns
    how many requests were answered and in how many seconds."""
    barrier = threading.Barrier(len(jobs) + 1)
    lock, errors, sent = threading.Lock(), [], []

    def station(codes: list[str]) -> None:
        client, seen, done = Client(port, token), Counter(), []
        try:
            barrier.wait()
            deadline = time.perf_counter() + seconds
            for code in codes:
                if time.perf_counter() > deadline:
                    break
                _, result = client.scan(code) if path == SCAN_PATH else client.bare(code)
                seen[result] += 1
                done.append(code)
        except Exception as exc:  # reported after the join, never swallowed
            errors.append(exc)
        finally:
            client.close()
            with lock:
                sent.extend(done)
                if path == SCAN_PATH:
                    run.results.update(seen)
                    run.sent.extend(done)

    threads = [threading.Thread(target=station, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return len(sent), elapsed


def throughput(port: int, token: str, jobs: list[list[str]], run: Run, seconds: float):
    """Bare and scan load in turns, each on half of every station's codes, so that machine
    noise hits both; each path's rate is its requests over its seconds."""
    done = {BARE_PATH: [0, 0.0], SCAN_PATH: [0, 0.0]}
    for half in (0, 1):
        part = [job[half * len(job) // 2:(half + 1) * len(job) // 2] for job in jobs]
        for path in done:
            count, elapsed = hammer(port, token, path, part, run, seconds / 2)
            done[path][0] += count
            done[path][1] += elapsed
    for path, (count, elapsed) in done.items():
        run.throughput[path] = count / elapsed


def split(codes: list[str], repeats: list[str], stations: int) -> list[list[str]]:
    """Fresh codes plus repeats, shuffled and dealt to the stations."""
    mixed = codes + repeats
    random.Random(11).shuffle(mixed)
    return [mixed[i::stations] for i in range(stations)]


def check_db(path: Path) -> dict:
    """One movement per check-in, nobody in twice, and the counter the stations are shown
    (scans.counts) equal to what the movement log says."""
    db = connect(path, migrate=False)
    movements = db.execute("SELECT count(*) FROM movements WHERE kind = 'scan'").fetchone()[0]
    people = db.execute("SELECT count(DISTINCT attendee_id) FROM movements").fetchone()[0]
    shown = scans.counts(db)
    db.close()
    return {"movements": movements, "people": people, "counter": shown.arrived}


def py_spy(output: Path) -> list[str]:
    """The command prefix that runs the server under py-spy, sampling its worker."""
    found = shutil.which("py-spy", path=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    if found is None:
        sys.exit("--profile needs py-spy: .venv/bin/pip install py-spy")
    return [found, "record", "--subprocesses", "--format", "raw", "--rate", "250",
            "-o", str(output), "--"]


def one_run(args: argparse.Namespace, profile: Path | None, number: int) -> Run:
    run = Run()
    INSTANCE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-scans-", dir=INSTANCE) as tmp:
        fixture = make_fixture(Path(tmp), args.people)
        seq, rest = fixture.codes[:args.scans], fixture.codes[args.scans:]
        jobs = split(rest, seq[:len(rest) // 4], args.stations)
        wrap = py_spy(profile / f"scan-run{number}.txt") if profile else None
        with ServerProcess(fixture.db_path, wrap=wrap) as server:
            client = Client(server.port, fixture.token)
            warm_up(client)
            latency(client, seq, args.block, run)
            client.close()
            throughput(server.port, fixture.token, jobs, run, args.seconds)
        run.check = check_db(fixture.db_path)
        run.check["expected"] = len(seq) + len(set(run.sent) - set(seq))
    return run


def quantiles(times: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": cuts[49] * 1e3, "p90": cuts[89] * 1e3, "p99": cuts[98] * 1e3,
            "max": max(times) * 1e3}


def figures(run: Run) -> dict:
    """One run's figures (ms and requests/s) as plain data."""
    return {"scan": {**quantiles(run.latency[SCAN_PATH]), "rate": run.throughput[SCAN_PATH]},
            "bare": {**quantiles(run.latency[BARE_PATH]), "rate": run.throughput[BARE_PATH]},
            "results": dict(run.results), "check": run.check}


def report(runs: list[Run], args: argparse.Namespace) -> None:
    per_run = [{p: quantiles(r.latency[p]) for p in (SCAN_PATH, BARE_PATH)} for r in runs]
    print(f"\nscan benchmark: {args.people} registrations, {args.scans} sequential scans and "
          f"bare calls, {args.stations} stations; median of {len(runs)} runs")
    print(f"{'metric':<22} {'scan API':>10} {'bare':>10} {'ratio':>7}  target")
    for q in ("p50", "p90", "p99", "max"):
        scan = statistics.median(r[SCAN_PATH][q] for r in per_run)
        bare = statistics.median(r[BARE_PATH][q] for r in per_run)
        target = f"<= 1.5x bare: {verdict(scan <= 1.5 * bare)}" if q == "p50" else ""
        print(f"{'latency ' + q + ' (ms)':<22} {scan:10.2f} {bare:10.2f} {scan / bare:6.2f}x"
              f"  {target}")
    scan = statistics.median(r.throughput[SCAN_PATH] for r in runs)
    bare = statistics.median(r.throughput[BARE_PATH] for r in runs)
    print(f"{f'per second, {args.stations} stations':<22} {scan:10.0f} {bare:10.0f} "
          f"{scan / bare:6.2f}x  >= 500 scans/s: {verdict(scan >= 500)}")
    print("\nper run: scan p50 / bare p50 (ms), scans / bare calls per second:")
    for i, (r, q) in enumerate(zip(runs, per_run, strict=True), 1):
        print(f"  run {i}: {q[SCAN_PATH]['p50']:.2f} / {q[BARE_PATH]['p50']:.2f}   "
              f"{r.throughput[SCAN_PATH]:.0f} / {r.throughput[BARE_PATH]:.0f}")


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def report_check(runs: list[Run]) -> bool:
    ok = True
    print("\ndatabase check (per run):")
    for i, r in enumerate(runs, 1):
        checked_in = r.results["checked_in"]
        good = (r.check["movements"] == checked_in == r.check["people"] == r.check["expected"]
                == r.check["counter"])
        ok &= good
        print(f"  run {i}: results {dict(r.results)}; movements {r.check['movements']}, "
              f"people checked in {r.check['people']}, counter {r.check['counter']}, "
              f"expected {r.check['expected']}: "
              f"{'OK' if good else 'MISMATCH'}")
    return ok


def measure(quick: bool = False) -> list[dict]:
    """Rows for the `make bench` table: latency beside the bare endpoint's (8 stations'
    run), and throughput with 8 and with 30 stations, each beside the bare endpoint's
    under the same load; medians of the runs. A station's error fails the run."""
    from bench._table import row

    rows = []
    for stations in (8, 30):
        args = argparse.Namespace(people=3000, scans=400 if quick or stations == 30 else 2000,
                                  stations=stations, block=100, repeat=1 if quick else 3,
                                  seconds=3.0 if quick else 8.0)
        runs = [one_run(args, None, n) for n in range(1, args.repeat + 1)]
        if not report_check(runs):
            raise RuntimeError("the database does not hold what the stations were told")
        if stations == 8:
            for q in ("p50", "p99"):
                scan = statistics.median(quantiles(r.latency[SCAN_PATH])[q] for r in runs)
                bare = statistics.median(quantiles(r.latency[BARE_PATH])[q] for r in runs)
                rows.append(row(f"scan latency {q} (bare endpoint as floor)", scan, "ms",
                                bare, "<= 1.5x floor" if q == "p50" else ""))
        scan = statistics.median(r.throughput[SCAN_PATH] for r in runs)
        bare = statistics.median(r.throughput[BARE_PATH] for r in runs)
        rows.append(row(f"scans per second, {stations} stations, 0 errors", scan, "/s",
                        bare, ">= 500 /s"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--scans", type=int, default=2000)
    parser.add_argument("--stations", type=int, default=8)
    parser.add_argument("--block", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0,
                        help="time limit of each throughput phase")
    parser.add_argument("--profile", type=Path, help="py-spy stacks into this folder")
    parser.add_argument("--json", type=Path, help="also write every run's figures here")
    args = parser.parse_args()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    started, runs = time.perf_counter(), []
    for number in range(1, args.repeat + 1):
        runs.append(one_run(args, args.profile, number))
        print(f"run {number} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    report(runs, args)
    if args.json:
        args.json.write_text(json.dumps([figures(r) for r in runs], indent=1))
    sys.exit(0 if report_check(runs) else 1)


if __name__ == "__main__":
    main()
