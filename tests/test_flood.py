"""Connections and events that cost the server without asking anything useful (issue 11,
D1 and D2), against the real server (gunicorn, gevent) on 127.0.0.1. The latencies are
measured in bench/bench_workers.py, not here."""

from __future__ import annotations

import base64
import os
import resource
import socket
import time

import pytest
import requests
import socketio

from kiosk.checkin import auth
from kiosk.web import flood

UPGRADE = ("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
           "Sec-WebSocket-Key: {key}\r\n\r\n")


def budget(wanted: int = 1000) -> int:
    """As many sockets as this machine's file limit allows (the server needs as many)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4 * wanted), hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return max(100, min(wanted, (soft - 256) // 2))


def open_sockets(port: int, count: int, first: bytes) -> list[socket.socket]:
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if first:
            sock.sendall(first)
        sockets.append(sock)
    return sockets


def unauthenticated_websockets(port: int, count: int) -> list[socket.socket]:
    """Engine.IO WebSockets that are opened and then say nothing: no Socket.IO connect."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(UPGRADE.format(key=base64.b64encode(os.urandom(16)).decode()).encode())
        assert sock.recv(4096).startswith(b"HTTP/1.1 101")
        sockets.append(sock)
    return sockets


def closed_by_server(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
        return True
    except OSError:
        return False


def scan(server, token: str, code: str) -> dict:
    answer = requests.post(f"{server.url}/api/scans", json={"code": code},
                           headers={"Authorization": f"Bearer {token}"}, timeout=15)
    return answer.json()


def worker_pid(server) -> int:
    with open(f"/proc/{server.process.pid}/task/{server.process.pid}/children") as handle:
        return int(handle.read().split()[0])


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def resident_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS"))


@pytest.fixture
def codes(loaded):
    return [row[0] for row in loaded.execute("SELECT badge_code FROM attendees LIMIT 5")]


def test_a_station_still_scans_with_a_thousand_idle_connections_open(server, loaded, event,
                                                                     codes):
    """Idle TCP connections, half-sent requests and WebSockets that never authenticate:
    together as many as the old connection limit. A station still scans, and the sockets
    that never authenticated are closed by the server within a few seconds."""
    _desk, token = auth.create_station(loaded, event, "reception", "desk 1")
    total = budget()
    idle = open_sockets(server.port, total * 2 // 5, b"")
    half = open_sockets(server.port, total * 2 // 5, b"GET / HTTP/1.1\r\nHost: x\r\n")
    sockets = unauthenticated_websockets(server.port, total - len(idle) - len(half))
    try:
        assert scan(server, token, codes[0])["result"] == "checked_in"
        assert closed_by_server(sockets[0], flood.AUTH_SECONDS + 3)
        assert closed_by_server(sockets[-1], flood.AUTH_SECONDS + 3)
        assert scan(server, token, codes[1])["result"] == "checked_in"
    finally:
        for sock in idle + half + sockets:
            sock.close()


def test_a_caterer_flooding_snapshot_requests_costs_neither_files_nor_memory(server, loaded,
                                                                             event, codes):
    """10,000 `snapshot` events from a paired caterer, as fast as the socket takes them: a
    reception scan still answers, the server's open files and memory stay bounded, and
    the caterer's screen is still served once the flood stops."""
    _desk, reception = auth.create_station(loaded, event, "reception", "desk 1")
    _kitchen, caterer = auth.create_station(loaded, event, "caterer", "keuken")
    pid = worker_pid(server)
    client = socketio.Client(reconnection=False)
    client.connect(server.url, namespaces=["/live"], auth={"token": caterer},
                   transports=["websocket"], wait_timeout=5)
    try:
        files, memory = open_files(pid), resident_kb(pid)
        for _ in range(10_000):
            client.emit("snapshot", namespace="/live")
        assert scan(server, reception, codes[0])["result"] == "checked_in"
        time.sleep(0.5)
        assert open_files(pid) < files + 40
        assert resident_kb(pid) < memory + 100_000
        time.sleep(1)  # the bucket fills again
        answer = client.call("snapshot", namespace="/live", timeout=5)
        assert answer["totals"]["arrived"] == 1
    finally:
        client.disconnect()


def test_the_database_connections_open_at_once_are_bounded(db_path):
    """A request past the bound waits for a connection to come back instead of opening
    one more (three files each)."""
    import threading

    from kiosk.web.context import ConnectionPool

    pool = ConnectionPool(str(db_path), size=1, most=2)
    first, second = pool.take(), pool.take()
    got = []
    waiting = threading.Thread(target=lambda: got.append(pool.take()))
    waiting.start()
    waiting.join(0.3)
    assert got == []  # still waiting
    pool.give_back(first)
    waiting.join(5)
    assert got == [first]  # the connection given back, not a new one
    pool.give_back(second)
    pool.give_back(got[0])


def test_a_connection_that_never_starts_its_tls_handshake_is_closed(tmp_path, db_path):
    """gevent makes the TLS handshake before gunicorn reads a byte, and had no time limit
    for it; now it gets as long as a request's headers do."""
    from kiosk.serving.server import HEADER_SECONDS
    from tests.serving import ServerProcess

    instance = tmp_path / "instance"
    server = ServerProcess(db_path, "--self-signed", instance=instance)
    try:
        server.wait_ready(scheme="https", verify=str(instance / "tls-cert.pem"))
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as silent:
            started = time.monotonic()
            assert requests.get(f"https://127.0.0.1:{server.port}/", timeout=5,
                                verify=str(instance / "tls-cert.pem")).status_code == 200
            assert closed_by_server(silent, HEADER_SECONDS + 5)
            assert time.monotonic() - started >= HEADER_SECONDS - 1
    finally:
        server.stop()
