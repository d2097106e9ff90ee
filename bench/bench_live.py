"""Live benchmark: scan -> dashboard latency with 10, 100 and 500 connected screens, beside
a bare Socket.IO emit on the same server in the same run. Target: p99 < 100 ms at 500.

    .venv/bin/python bench/bench_live.py [--clients 10,100,500] [--rounds 15]
                                         [--client wire|socketio]

The production server (gunicorn on gevent via kiosk.serving.server.serve, as `serve` runs
it) runs in its own process. All screens sign in as organiser, so each push carries the organiser's
snapshot (~6 kB). Latency runs from just before the scan's POST to the moment a screen
holds the snapshot that counts it: the scan, the snapshot and the push. The bare emit runs
from just before its POST to receipt. Both pay the same client overhead: compare columns.

The screens share one Python process on the same two cores as the server, so what a
client spends on each message delays every screen after it, which no real screen (its
own device) suffers. `--client wire` (the default) holds each screen as a bare WebSocket
speaking Engine.IO 4 / Socket.IO 5 itself (open, namespace connect with the token, pongs,
events), noting the arrival time and parsing the JSON only after the round, a few
microseconds per message; `--client socketio` uses python-socketio's asyncio client, the
full library (~0.1 ms per message, ~75 ms per push at 500 screens on the client side).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _server import free_port  # noqa: E402

from kiosk.checkin import auth  # noqa: E402
from kiosk.event import load_event  # noqa: E402
from kiosk.registrations.demo import demo_csv  # noqa: E402
from kiosk.registrations.importer import import_registrations  # noqa: E402
from kiosk.store import attendees, connect  # noqa: E402

NAMESPACE = "/live"
EVENT_PREFIX = f"42{NAMESPACE},"  # a Socket.IO EVENT packet on /live, inside an Engine.IO MESSAGE


class WireScreen:
    """One dashboard as a bare WebSocket speaking the Socket.IO protocol itself; `events`
    holds (arrival time, raw packet), decoded later by `event()`."""

    def __init__(self):
        self.events: list[tuple[float, str]] = []
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.reader: asyncio.Task | None = None

    async def connect(self, http: aiohttp.ClientSession, url: str, token: str) -> WireScreen:
        ws_url = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.ws = await http.ws_connect(ws_url, autoping=False, max_msg_size=0)
        opening = await self.ws.receive_str(timeout=30)  # '0{"sid": ..., "pingInterval": ...}'
        if not opening.startswith("0"):
            raise RuntimeError(f"not an Engine.IO open packet: {opening[:80]}")
        await self.ws.send_str(f"40{NAMESPACE}," + json.dumps({"token": token}))
        while True:  # the welcome snapshot may arrive before the connect acknowledgement
            packet = await self.ws.receive_str(timeout=30)
            if packet.startswith(f"40{NAMESPACE},"):
                break
            if not packet.startswith(EVENT_PREFIX):
                raise RuntimeError(f"refused: {packet[:80]}")
            self.events.append((time.perf_counter(), packet))
        self.reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for message in self.ws:
            arrived, packet = time.perf_counter(), message.data
            if packet == "2":  # the server's ping
                await self.ws.send_str("3")
            elif isinstance(packet, str) and packet.startswith(EVENT_PREFIX):
                self.events.append((arrived, packet))

    def event(self, index: int) -> tuple[float, str, Any]:
        arrived, packet = self.events[index]
        name, data = json.loads(packet[len(EVENT_PREFIX):])
        return arrived, name, data

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


class LibraryScreen:
    """One dashboard as python-socketio's asyncio client (the whole library)."""

    def __init__(self):
        self.events: list[tuple[float, str, Any]] = []
        self.client = socketio.AsyncClient(reconnection=False)
        for name in ("headcounts", "bare"):
            self.client.on(name, self._recorder(name), namespace=NAMESPACE)

    def _recorder(self, name: str):
        async def record(data: Any) -> None:
            self.events.append((time.perf_counter(), name, data))
        return record

    async def connect(self, _http, url: str, token: str) -> LibraryScreen:
        await self.client.connect(url, namespaces=[NAMESPACE], auth={"token": token},
                                  transports=["websocket"], wait_timeout=30)
        return self

    def event(self, index: int) -> tuple[float, str, Any]:
        return self.events[index]

    async def close(self) -> None:
        await self.client.disconnect()


SCREENS = {"wire": WireScreen, "socketio": LibraryScreen}


def start_server(db_path: Path, connections: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "_live_server.py"), str(db_path), str(port),
         "--connections", str(connections)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
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


async def arrivals(screens: list, marks: list[int], wanted, timeout: float = 10) -> list:
    """For every screen, the arrival time of its first event after `marks[i]` for which
    `wanted(name, data)` holds (events are decoded only once each screen has new ones)."""
    found: list[float | None] = [None] * len(screens)
    checked = list(marks)
    deadline = time.monotonic() + timeout
    while any(t is None for t in found):
        if time.monotonic() > deadline:
            missing = sum(1 for t in found if t is None)
            raise RuntimeError(f"{missing} screens never received the push")
        await asyncio.sleep(0.001)
        if any(t is None and len(s.events) <= checked[i] for i, (s, t) in
               enumerate(zip(screens, found, strict=True))):
            continue  # still arriving: decode nothing while packets come in
        for i, screen in enumerate(screens):
            while found[i] is None and checked[i] < len(screen.events):
                arrived, name, data = screen.event(checked[i])
                checked[i] += 1
                if wanted(name, data):
                    found[i] = arrived
    return found


async def latencies(http, url: str, screens: list, codes: list[str], token: str,
                    first: int, rounds: int) -> tuple[list[float], list[float]]:
    scan_ms, bare_ms = [], []
    for n in range(first + 1, first + rounds + 1):
        marks = [len(s.events) for s in screens]
        started = time.perf_counter()
        async with http.post(f"{url}/api/scans", json={"code": codes[n - 1]},
                             headers={"Authorization": f"Bearer {token}"}) as response:
            assert response.status == 200, await response.text()
        times = await arrivals(screens, marks, lambda name, data, n=n: (
            name == "headcounts" and data["totals"]["arrived"] == n))
        scan_ms += [(t - started) * 1000 for t in times]
        await asyncio.sleep(0.3)  # past the coalescing window: each scan is its own push
        marks = [len(s.events) for s in screens]
        started = time.perf_counter()
        async with http.post(f"{url}/bench/emit", json={"n": n}):
            pass
        times = await arrivals(screens, marks, lambda name, data, n=n: (
            name == "bare" and data["n"] == n))
        bare_ms += [(t - started) * 1000 for t in times]
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


async def run(sizes: list[int], rounds: int, tmp: str, kind: str) -> list[tuple]:
    db_path, codes, tokens = prepare(tmp)
    process, url = start_server(db_path, connections=max(sizes) + 100)
    screens: list = []
    rows, done = [], 0
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await wait_ready(http, url)
            for size in sizes:
                while len(screens) < size:  # in batches: a connect storm is another test
                    batch = min(50, size - len(screens))
                    screens += await asyncio.gather(*(
                        SCREENS[kind]().connect(http, url, tokens["organiser"])
                        for _ in range(batch)))
                await asyncio.sleep(1)
                scan_ms, bare_ms = await latencies(http, url, screens, codes,
                                                 tokens["reception"], done, rounds)
                done += rounds
                rows.append((size, scan_ms, bare_ms))
                print_row(*rows[-1])
    finally:
        await asyncio.gather(*(s.close() for s in screens), return_exceptions=True)
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


def measure(quick: bool = False) -> list[dict]:
    """Rows for the `make bench` table: scan -> screen p50 and p99 at 10, 100 and 500
    screens (10 and 100 when quick) on one worker, beside a bare emit on the same server."""
    from bench._table import row

    sizes, rounds = ([10, 100], 8) if quick else ([10, 100, 500], 15)
    with tempfile.TemporaryDirectory() as tmp:
        measured = asyncio.run(run(sizes, rounds, tmp, "wire"))
    rows = []
    for size, scan_ms, bare_ms in measured:
        rows.append(row(f"scan -> screen p50, {size} screens, 1 worker",
                        statistics.median(scan_ms), "ms", statistics.median(bare_ms)))
        rows.append(row(f"scan -> screen p99, {size} screens, 1 worker", pct(scan_ms, 0.99),
                        "ms", pct(bare_ms, 0.99), "< 100 ms" if size == 500 else ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="10,100,500")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--client", choices=sorted(SCREENS), default="wire")
    args = parser.parse_args()
    sizes = [int(n) for n in args.clients.split(",")]
    print(f"scan -> dashboard latency, {args.rounds} scans per size, {args.client} clients"
          " (ms, every screen x scan)")
    print(f"{'screens':>7} | {'scan p50':>8} {'scan p99':>8} | {'bare p50':>8} {'bare p99':>8} |"
          f" {'p50 ratio':>9} | target scan p99 < 100 ms")
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(sizes, args.rounds, tmp, args.client))
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (2 cores)")


if __name__ == "__main__":
    main()
