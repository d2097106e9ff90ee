"""Live benchmark: scan -> dashboard latency with 10, 100 and 500 connected screens, beside
a bare Socket.IO emit on the same server in the same run. Target: p99 < 100 ms at 500.

    .venv/bin/python bench/bench_live.py [--clients 10,100,500] [--rounds 15]

The production server (gunicorn via kiosk.server.serve, one thread per WebSocket) runs in
its own process. The screens are real python-socketio clients (the asyncio client, on
aiohttp: one thread can hold 500 of them, where 500 threaded clients would starve each
other's pings on two cores), all signed in as organiser, so each push carries the full
snapshot (~55 kB). Latency runs from just before the scan's POST to the moment a screen
holds the snapshot that counts it: the scan, the snapshot and the push. The bare emit runs
from just before its POST to receipt. Both pay the same client overhead: compare columns.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _server import free_port  # noqa: E402

from kiosk import auth  # noqa: E402
from kiosk.demo import demo_csv  # noqa: E402
from kiosk.event import load_event  # noqa: E402
from kiosk.importer import import_registrations  # noqa: E402
from kiosk.store import attendees, connect  # noqa: E402


class Screen:
    """One dashboard: records when each arrival count and each bare emit reached it."""

    def __init__(self):
        self.seen_arrived: dict[int, float] = {}
        self.seen_bare: dict[int, float] = {}
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("headcounts", self._headcounts, namespace="/live")
        self.client.on("bare", self._bare, namespace="/live")

    async def connect(self, url: str, token: str) -> Screen:
        await self.client.connect(url, namespaces=["/live"], auth={"token": token},
                                  transports=["websocket"], wait_timeout=30)
        return self

    async def _headcounts(self, data: dict) -> None:
        self.seen_arrived.setdefault(data["totals"]["arrived"], time.perf_counter())

    async def _bare(self, data: dict) -> None:
        self.seen_bare.setdefault(data["n"], time.perf_counter())


def start_server(db_path: Path, threads: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "_live_server.py"), str(db_path), str(port),
         "--threads", str(threads)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return process, f"http://127.0.0.1:{port}"


async def wait_ready(http: aiohttp.ClientSession, url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            async with http.get(url + "/"):
                return
        except aiohttp.ClientError:
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


async def wait_all(screens: list[Screen], attr: str, key: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not all(key in getattr(s, attr) for s in screens):
        if time.monotonic() > deadline:
            missing = sum(1 for s in screens if key not in getattr(s, attr))
            raise RuntimeError(f"{missing} screens never saw {attr}={key}")
        await asyncio.sleep(0.001)


async def measure(http, url: str, screens: list[Screen], codes: list[str], token: str,
                  first: int, rounds: int) -> tuple[list[float], list[float]]:
    scan_ms, bare_ms = [], []
    for n in range(first + 1, first + rounds + 1):
        started = time.perf_counter()
        async with http.post(f"{url}/api/scans", json={"code": codes[n - 1]},
                             headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, await response.text()
        await wait_all(screens, "seen_arrived", n)
        scan_ms += [(s.seen_arrived[n] - started) * 1000 for s in screens]
        await asyncio.sleep(0.3)  # past the coalescing window: each scan is its own push
        started = time.perf_counter()
        async with http.post(f"{url}/bench/emit", json={"n": n}):
            pass
        await wait_all(screens, "seen_bare", n)
        bare_ms += [(s.seen_bare[n] - started) * 1000 for s in screens]
        await asyncio.sleep(0.05)
    return scan_ms, bare_ms


def prepare(tmp: str) -> tuple[Path, list[str], dict[str, str]]:
    event = load_event()
    db_path = Path(tmp) / "bench.db"
    db = connect(db_path)
    import_registrations(db, event, demo_csv(event), "demo.csv")
    codes = [a.badge_code for a in attendees.all_attendees(db)]
    tokens = {role: auth.create_station(db, event, role, f"bench {role}")[1]
              for role in ("reception", "organiser")}
    db.close()
    return db_path, codes, tokens


async def run(sizes: list[int], rounds: int, tmp: str) -> list[tuple]:
    db_path, codes, tokens = prepare(tmp)
    process, url = start_server(db_path, threads=max(sizes) + 100)
    screens: list[Screen] = []
    rows, done = [], 0
    try:
        async with aiohttp.ClientSession() as http:
            await wait_ready(http, url)
            for size in sizes:
                while len(screens) < size:  # in batches: a connect storm is another test
                    batch = min(50, size - len(screens))
                    screens += await asyncio.gather(
                        *(Screen().connect(url, tokens["organiser"]) for _ in range(batch)))
                await asyncio.sleep(1)
                scan_ms, bare_ms = await measure(http, url, screens, codes,
                                                 tokens["reception"], done, rounds)
                done += rounds
                rows.append((size, scan_ms, bare_ms))
                print_row(*rows[-1])
    finally:
        await asyncio.gather(*(s.client.disconnect() for s in screens),
                             return_exceptions=True)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    return rows


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_row(size: int, scan_ms: list[float], bare_ms: list[float]) -> None:
    ratio = statistics.median(scan_ms) / statistics.median(bare_ms)
    verdict = "met" if pct(scan_ms, 0.99) < 100 else "MISSED"
    print(f"{size:>7} | {statistics.median(scan_ms):8.1f} {pct(scan_ms, 0.99):8.1f} |"
          f" {statistics.median(bare_ms):8.1f} {pct(bare_ms, 0.99):8.1f} |"
          f" {ratio:9.2f} | {verdict}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="10,100,500")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    sizes = [int(n) for n in args.clients.split(",")]
    print(f"scan -> dashboard latency, {args.rounds} scans per size (ms, every screen x scan)")
    print(f"{'screens':>7} | {'scan p50':>8} {'scan p99':>8} | {'bare p50':>8} {'bare p99':>8} |"
          f" {'p50 ratio':>9} | target scan p99 < 100 ms")
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(sizes, args.rounds, tmp))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
