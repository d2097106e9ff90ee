"""The production server: gunicorn, one worker process, many threads (gthread).

Flask-SocketIO in threading mode runs WebSockets on simple-websocket inside gunicorn's
threaded worker; each open WebSocket holds one thread, so `threads` must cover every
tablet and dashboard plus headroom (../shared/NOTES.md). One process only: Socket.IO
rooms and the headcount sequence live in memory.
"""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication


class KioskServer(BaseApplication):
    """gunicorn driven from Python, so `python -m kiosk serve` is the one way to start."""

    def __init__(self, app: Flask, options: dict):
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def serve(app: Flask, host: str, port: int, *, threads: int = 256,
          certfile: str | None = None, keyfile: str | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": 1,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 60,
        "graceful_timeout": 5,
        "keepalive": 30,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "certfile": certfile,
        "keyfile": keyfile,
    }
    KioskServer(app, options).run()
