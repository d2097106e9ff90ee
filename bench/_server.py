"""The production server for the benchmarks, in its own process.

Run as a script it serves `kiosk.create_app` through gunicorn (`kiosk.serving.server.serve`, the
same code path as `python -m kiosk serve`) with one extra, bare Flask endpoint on the same
app: `POST /bench/bare` reads the JSON body and answers a tiny JSON, checking nothing. It
is the floor a scan is compared with (same server, same client, same run). Run as a script
it monkey-patches for gevent first, as `python -m kiosk serve` does (kiosk/serving/green.py).

    python bench/_server.py DB PORT [--connections N]

`ServerProcess` starts it from a benchmark, waits until it answers, and stops it.
"""

from __future__ import annotations

if __name__ == "__main__":  # the server process: on gevent, before anything else is imported
    from kiosk.serving import green
    green.patch()

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_PATH = "/bench/bare"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_app(db_path: str):
    """The real app plus the bare endpoint."""
    from flask import jsonify, request

    from kiosk import create_app
    app = create_app({"DATABASE": db_path, "SECRET_KEY": "bench"})

    def bare():
        data = request.get_json(force=True, silent=True) or {}
        return jsonify({"result": "ok", "n": len(data)})

    app.add_url_rule(BARE_PATH, "bench_bare", bare, methods=["POST"])
    return app


class ServerProcess:
    """`with ServerProcess(db) as server:` → server.port answers; stopped on exit."""

    def __init__(self, db_path: str | Path, *, connections: int = 100,
                 wrap: list[str] | None = None):
        self.db_path, self.connections, self.wrap = str(db_path), connections, wrap or []
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> ServerProcess:
        cmd = [*self.wrap, sys.executable, str(Path(__file__).resolve()), self.db_path,
               str(self.port), "--connections", str(self.connections)]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with status {self.proc.returncode}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("POST", BARE_PATH, body=b"{}",
                             headers={"Content-Type": "application/json"})
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not answer within 30 s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT if self.wrap else signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main(build=build_app) -> None:
    """Serve `build(db)` (the app with its bare endpoints) on 127.0.0.1:PORT."""
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("port", type=int)
    parser.add_argument("--connections", type=int, default=100)
    args = parser.parse_args()
    from kiosk.serving.server import serve

    serve(build(args.db), "127.0.0.1", args.port, connections=args.connections)


if __name__ == "__main__":
    main()
