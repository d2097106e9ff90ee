"""The production server: gunicorn, one worker process, on gevent.

`python -m kiosk serve` monkey-patches the process for gevent before anything else
(kiosk/serving/green.py says why), so the worker is gunicorn's gevent worker: every connection a
greenlet, WebSockets through simple-websocket. `connections` caps the open connections
(tablets, screens, API calls) at once. Unpatched (a script that calls `serve` itself) it
falls back to the threaded worker, one thread per connection. One process only: Socket.IO
rooms and the headcount sequence live in memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gunicorn.app.base import BaseApplication

from kiosk.serving import green

if TYPE_CHECKING:  # the app arrives as an argument: serving knows no Flask
    from flask import Flask


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


def serve(app: Flask, host: str, port: int, *, connections: int = 1000,
          certfile: str | None = None, keyfile: str | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM)."""
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": 1,
        "timeout": 60,
        "graceful_timeout": 5,
        "keepalive": 30,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "certfile": certfile,
        "keyfile": keyfile,
    }
    if green.active():
        options.update(worker_class="gevent", worker_connections=connections)
    else:
        options.update(worker_class="gthread", threads=connections)
    KioskServer(app, options).run()
