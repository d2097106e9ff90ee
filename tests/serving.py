"""The production server (gunicorn via `python -m kiosk serve`) in a subprocess, for tests
that need the real thing: WebSockets, gevent, a separate process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    def __init__(self, db_path: Path, *extra: str, instance: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, KIOSK_SECRET_KEY="test-secret", PYTHONUNBUFFERED="1")
        if instance is not None:
            env["KIOSK_INSTANCE"] = str(instance)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--db", str(db_path), "serve", "--host",
             "127.0.0.1", "--port", str(self.port), *extra],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            cwd=Path(__file__).resolve().parents[1])

    def wait_ready(self, timeout: float = 20, scheme: str = "http",
                   verify: bool | str = True) -> ServerProcess:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited:\n" + self.process.stdout.read().decode())
            try:
                requests.get(f"{scheme}://127.0.0.1:{self.port}/", timeout=1, verify=verify)
                return self
            except (requests.ConnectionError, FileNotFoundError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not start in time")

    def stop(self) -> str:
        """Stop the server; what it printed."""
        if self.process.poll() is None:
            # SIGINT is gunicorn's quick shutdown: SIGTERM would wait for open WebSockets.
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout.closed:
            return ""
        output = self.process.stdout.read().decode(errors="replace")
        self.process.stdout.close()
        return output
