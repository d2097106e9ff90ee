"""Several workers and the connection limits: scan -> screen p99 at 10, 100, 500 and 1,000
screens for 1 and 2 workers, server memory per connected screen, and a scan's latency
while 1,000 idle connections are open and while a caterer floods 10,000 events.

    .venv/bin/python bench/bench_workers.py [--quick]

`measure(quick)` returns the rows for `make bench` (bench/table.py); run on its own it
prints them as a table. The server is the real `python -m kiosk serve` (gunicorn on
gevent), with `--workers 2 --message-queue` on a redis-server of its own for the two-worker
rows. The screens are bare WebSockets speaking Socket.IO (bench_live.WireScreen), all in
this one process, on the same two cores as the server: what they cost the client shows in
the figures too. Each figure's floor is measured in the same run: for scan -> screen, the
scan's own answer (the push cannot come before the commit); for the scans under attack,
the same scans on a quiet server.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _server import free_port  # noqa: E402
from bench_live import WireScreen, arrivals, prepare, wait_ready  # noqa: E402

from kiosk.checkin import auth  # noqa: E402
from kiosk.event import load_event  # noqa: E402
from kiosk.store import connect  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

UPGRADE = ("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
           "Sec-WebSocket-Key: {key}\r\n\r\n")


def row(figure: str, value: float, unit: str, floor: float | None = None,
        target: str = "") -> dict:
    return {"figure": figure, "value": round(value, 1), "unit": unit,
            "floor": None if floor is None else round(floor, 1), "target": target}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Server:
    """`python -m kiosk serve` in its own process; stopped with `stop()`."""

    def __init__(self, db_path: Path, workers: int = 1, queue: str | None = None,
                 connections: int = 4000):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        extra = ["--workers", str(workers), "--message-queue", queue] if workers > 1 else []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--db", str(db_path), "serve", "--port",
             str(self.port), "--connections", str(connections), *extra],
            cwd=ROOT, env=dict(os.environ, KIOSK_SECRET_KEY="bench"),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/", timeout=1)
                time.sleep(1)  # the workers subscribe to the queue
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def workers(self) -> list[int]:
        path = f"/proc/{self.process.pid}/task/{self.process.pid}/children"
        with open(path) as handle:
            return [int(p) for p in handle.read().split()]

    def resident_kb(self) -> int:
        total = 0
        for pid in self.workers():
            with open(f"/proc/{pid}/status") as handle:
                total += next(int(line.split()[1]) for line in handle
                              if line.startswith("VmRSS"))
        return total

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def _push_latencies(server: Server, screens: list, codes: list[str], token: str,
                          first: int, rounds: int, http) -> tuple[list[float], list[float]]:
    """(scan -> every screen, ms), (the scan's own answer, ms)."""
    pushed, answered = [], []
    for n in range(first + 1, first + rounds + 1):
        marks = [len(s.events) for s in screens]
        started = time.perf_counter()
        async with http.post(f"{server.url}/api/scans", json={"code": codes[n - 1]},
                             headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, await response.text()
        answered.append((time.perf_counter() - started) * 1000)
        times = await arrivals(screens, marks, lambda name, data, n=n: (
            name == "headcounts" and data["totals"]["arrived"] == n), timeout=30)
        pushed += [(t - started) * 1000 for t in times]
        await asyncio.sleep(0.3)  # past the coalescing window: each scan its own push
    return pushed, answered


async def _screens(workers: int, sizes: list[int], rounds: int, tmp: str,
                   queue: str | None) -> list[dict]:
    db_path, codes, tokens = prepare(tempfile.mkdtemp(dir=tmp))
    server = Server(db_path, workers, queue)
    rows, screens, done = [], [], 0
    targets = {500: "< 100 ms", 1000: "< 250 ms"} if workers > 1 else {}  # issue 14
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await wait_ready(http, server.url)
            before = server.resident_kb()
            for size in sizes:
                while len(screens) < size:
                    batch = min(50, size - len(screens))
                    screens += await asyncio.gather(*(
                        WireScreen().connect(http, server.url, tokens["organiser"])
                        for _ in range(batch)))
                await asyncio.sleep(1)
                pushed, answered = await _push_latencies(server, screens, codes,
                                                         tokens["reception"], done, rounds,
                                                         http)
                done += rounds
                rows.append(row(f"scan -> screen p99, {size} screens, {workers} worker(s)",
                                pct(pushed, 0.99), "ms", pct(answered, 0.99),
                                targets.get(size, "")))
            if workers == 1:
                per_screen = (server.resident_kb() - before) / len(screens)
                rows.append(row(f"server memory per connected screen ({len(screens)})",
                                per_screen, "kB", None, "< 100 kB"))
        await asyncio.gather(*(s.close() for s in screens), return_exceptions=True)
    finally:
        server.stop()
    return rows


def _scan_times(server: Server, token: str, codes: list[str]) -> list[float]:
    session, times = requests.Session(), []
    for code in codes:
        started = time.perf_counter()
        answer = session.post(f"{server.url}/api/scans", json={"code": code},
                              headers={"Authorization": f"Bearer {token}"}, timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text
    return times


def _hold_connections(port: int, count: int) -> list[socket.socket]:
    """A third idle, a third half-sent requests, a third unauthenticated WebSockets."""
    held = []
    for n in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        if n % 3 == 1:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        elif n % 3 == 2:
            key = base64.b64encode(os.urandom(16)).decode()
            sock.sendall(UPGRADE.format(key=key).encode())
        held.append(sock)
    return held


def _under_attack(tmp: str, scans: int, idle: int, flood: int) -> list[dict]:
    db_path, codes, tokens = prepare(tempfile.mkdtemp(dir=tmp))
    db = connect(db_path)
    caterer = auth.create_station(db, load_event(), "caterer", "bench kitchen")[1]
    db.close()
    server = Server(db_path)
    try:
        quiet = _scan_times(server, tokens["reception"], codes[:scans])
        held = _hold_connections(server.port, idle)
        time.sleep(1)  # while they are open, not while the server is still accepting them
        busy = _scan_times(server, tokens["reception"], codes[scans:2 * scans])
        for sock in held:
            sock.close()
        flooded = _flooded_scans(server, caterer, tokens["reception"],
                                 codes[2 * scans:3 * scans], flood)
    finally:
        server.stop()
    rows = []
    for q, name in ((0.5, "p50"), (0.99, "p99")):
        rows += [row(f"scan {name} with {idle} idle/half-sent/unauthenticated connections",
                     pct(busy, q), "ms", pct(quiet, q), "< 100 ms"),
                 row(f"scan {name} during a {flood:,}-event flood", pct(flooded, q), "ms",
                     pct(quiet, q), "< 100 ms")]
    return rows


FLOOD = """
import sys, socketio
url, token, events = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = socketio.Client(reconnection=False)
client.connect(url, namespaces=["/live"], auth={"token": token}, transports=["websocket"],
               wait_timeout=10)
print("ready", flush=True)
for _ in range(events):
    client.emit("snapshot", namespace="/live")
client.sleep(1)
client.disconnect()
"""


def _flooded_scans(server: Server, caterer: str, reception: str, codes: list[str],
                   events: int) -> list[float]:
    """Scans while a paired caterer, in a process of its own (its sending would slow this
    one's clock-keeping otherwise), sends `events` snapshot requests."""
    flooder = subprocess.Popen([sys.executable, "-c", FLOOD, server.url, caterer, str(events)],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert flooder.stdout.readline().strip() == "ready"
        return _scan_times(server, reception, codes)
    finally:
        flooder.wait(timeout=120)


def measure(quick: bool = False) -> list[dict]:
    """The rows of the table (figure, value, unit, floor, target)."""
    sizes = [10, 100] if quick else [10, 100, 500, 1000]
    rounds = 4 if quick else 10
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        redis = RedisServer(Path(tmp))
        try:
            for workers in (1, 2):
                rows += asyncio.run(_screens(workers, sizes, rounds, tmp, redis.url))
        finally:
            redis.stop()
        rows += _under_attack(tmp, 20 if quick else 50, 300 if quick else 1000,
                              2000 if quick else 10_000)
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"{'figure':<62} {'value':>8} {'floor':>8}  unit  target")
    for r in rows:
        floor = "" if r["floor"] is None else f"{r['floor']:8.1f}"
        print(f"{r['figure']:<62} {r['value']:8.1f} {floor:>8}  {r['unit']:<4}  {r['target']}")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    print_table(measure(parser.parse_args().quick))
