"""A redis-server of the test's own: a free port on 127.0.0.1, a fresh folder, nothing saved,
stopped afterwards. Locally the tests that need it skip when redis-server is missing;
under CI=true (.ci/run installs Debian's redis-server) they must run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.serving import free_port


class RedisServer:
    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port),
             "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
            cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("redis-server did not start")

    def command(self, *args: str) -> bytes:
        """One command over RESP; the raw reply."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            parts = [f"*{len(args)}\r\n".encode()]
            parts += [f"${len(a.encode())}\r\n{a}\r\n".encode() for a in args]
            sock.sendall(b"".join(parts))
            return sock.recv(65536)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    if shutil.which("redis-server") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true and redis-server is missing", pytrace=False)
        # As with Chromium: a laptop without Redis skips; CI (above) fails instead.
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()
