"""Several workers (`serve --workers 2 --message-queue redis://…`): two real gunicorn
workers sharing the SQLite file, a real redis-server, real Socket.IO clients."""

from __future__ import annotations

import os
import time

import pytest
import requests

from kiosk.checkin import auth
from tests.clocks import DAY, MORNING
from tests.redis_server import redis_server  # noqa: F401  (the fixture)
from tests.serving import ServerProcess
from tests.test_live import Dashboard


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as handle:
        return [int(p) for p in handle.read().split()]


def _inode(server_port: int, client_port: int) -> str | None:
    """The server side of a TCP connection on 127.0.0.1, from /proc/net/tcp."""
    with open("/proc/net/tcp") as handle:
        for line in handle.readlines()[1:]:
            fields = line.split()
            local, remote = fields[1].split(":")[1], fields[2].split(":")[1]
            if int(local, 16) == server_port and int(remote, 16) == client_port:
                return fields[9]
    return None


def worker_of(server: ServerProcess, screen: Dashboard) -> int:
    """The pid of the worker holding this screen's WebSocket."""
    client_port = screen.client.eio.ws.sock.getsockname()[1]
    wanted = f"socket:[{_inode(server.port, client_port)}]"
    for pid in _children(server.process.pid):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                    return pid
            except OSError:
                continue
    raise AssertionError("no worker holds this connection")


def wait_subscribed(redis, db_path, count: int) -> None:
    deadline = time.monotonic() + 30
    while f":{count}\r\n".encode() not in redis.command("PUBSUB", "NUMSUB", _channel(db_path)):
        assert time.monotonic() < deadline, "the workers did not subscribe"
        time.sleep(0.05)


@pytest.fixture
def two_workers(db_path, loaded, redis_server):  # noqa: F811
    server = ServerProcess(db_path, "--clock", f"{DAY}T{MORNING}", "--workers", "2",
                           "--message-queue", redis_server.url).wait_ready(timeout=40)
    wait_subscribed(redis_server, db_path, 2)
    yield server
    server.stop()


def _channel(db_path) -> str:
    from kiosk.web.workers import channel_for

    return channel_for(str(db_path))


def test_a_scan_on_one_worker_reaches_screens_on_both_in_order_once_each(
        two_workers, loaded, event):
    server = two_workers
    _desk, reception = auth.create_station(loaded, event, "reception", "desk 1")
    _org, organiser = auth.create_station(loaded, event, "organiser", "organiser")
    codes = [row[0] for row in loaded.execute("SELECT badge_code FROM attendees LIMIT 3")]
    screens, workers = [], {}
    try:
        while len(workers) < 2 and len(screens) < 30:  # until both workers hold screens
            screen = Dashboard(server, organiser)
            screens.append(screen)
            workers.setdefault(worker_of(server, screen), []).append(screen)
        assert len(workers) == 2
        for count, code in enumerate(codes, start=1):
            answer = requests.post(f"{server.url}/api/scans", json={"code": code},
                                   headers={"Authorization": f"Bearer {reception}"}, timeout=15)
            assert answer.json()["result"] == "checked_in"
            for screen in screens:
                screen.wait_for(lambda e, n=count: e["totals"]["arrived"] == n, 15)
        time.sleep(0.5)  # anything doubled would have arrived by now
        for screen in screens:
            seqs = [e["seq"] for e in screen.events]
            assert seqs == sorted(set(seqs)), seqs  # strictly increasing
            arrived = [e["totals"]["arrived"] for e in screen.events]
            # One event per scan. Before the first, the welcome (and, on a machine so busy
            # that connecting the screens took 30 s, a heartbeat round).
            assert arrived[-3:] == [1, 2, 3] and set(arrived[:-3]) == {0}, arrived
    finally:
        for screen in screens:
            screen.close()


def test_several_workers_refuse_long_polling_and_need_a_queue(two_workers, db_path):
    """Polling would need each request to reach the worker holding the session."""
    polling = requests.get(f"{two_workers.url}/socket.io/?EIO=4&transport=polling", timeout=5)
    assert polling.status_code == 400
    lone = ServerProcess(db_path, "--workers", "2")
    lone.process.wait(timeout=30)
    assert lone.process.returncode != 0
    assert "--message-queue" in lone.stop()


def test_two_serve_processes_on_one_queue_as_behind_a_sticky_proxy(db_path, loaded, event,
                                                                    redis_server):  # noqa: F811
    """The nginx `ip_hash` layout of the README: one worker each, on ports of their own;
    a scan at one reaches a screen on the other, and long polling works (one worker)."""
    _desk, reception = auth.create_station(loaded, event, "reception", "desk 1")
    _org, organiser = auth.create_station(loaded, event, "organiser", "organiser")
    code = loaded.execute("SELECT badge_code FROM attendees LIMIT 1").fetchone()[0]
    servers = [ServerProcess(db_path, "--message-queue", redis_server.url) for _ in "ab"]
    screen = None
    try:
        for server in servers:
            server.wait_ready(timeout=40)
        wait_subscribed(redis_server, db_path, 2)
        screen = Dashboard(servers[0], organiser)
        answer = requests.post(f"{servers[1].url}/api/scans", json={"code": code},
                               headers={"Authorization": f"Bearer {reception}"}, timeout=15)
        assert answer.json()["result"] == "checked_in"
        seen = screen.wait_for(lambda e: e["totals"]["arrived"] == 1, 15)
        assert seen["seq"] > screen.events[0]["seq"]
        polling = requests.get(f"{servers[0].url}/socket.io/?EIO=4&transport=polling",
                               timeout=5)
        assert polling.status_code == 200
    finally:
        if screen is not None:
            screen.close()
        for server in servers:
            server.stop()
