"""The production server: gunicorn on gevent, one worker process or several.

`python -m kiosk serve` monkey-patches the process for gevent before anything else
(kiosk/serving/green.py says why), so a worker is gunicorn's gevent worker: every connection a
greenlet, WebSockets through simple-websocket. `connections` caps the open connections
(tablets, screens, API calls) of a worker at once. Unpatched (a script that calls `serve`
itself) it falls back to the threaded worker, one thread per connection.

One worker by default: Socket.IO rooms live in memory. With a Redis message queue
(kiosk/web/workers.py), for several workers or several `serve` behind a proxy, each worker
builds its own app after the fork (`build`), so none shares the master's Socket.IO
identity, Redis connections or database connections.

Connections that cost without asking anything (issue 11, D1): a request line and headers
must arrive within HEADER_SECONDS (gunicorn's keep-alive timeout bounds every header read,
the first one included), a TLS handshake too, and the process may open enough files for
`connections` sockets plus its database files.
"""

from __future__ import annotations

import resource
from collections.abc import Callable
from typing import TYPE_CHECKING

from gunicorn.app.base import BaseApplication

from kiosk.serving import green

if TYPE_CHECKING:  # the app arrives as an argument: serving knows no Flask
    from flask import Flask

HEADER_SECONDS = 10  # a tablet sends its request at once; an idle keep-alive is closed too
FILES_PER_CONNECTION = 1
SPARE_FILES = 512  # database files (3 a connection), the spooler, logs


class KioskServer(BaseApplication):
    """gunicorn driven from Python, so `python -m kiosk serve` is the one way to start."""

    def __init__(self, app: Flask | None, options: dict,
                 build: Callable[[], Flask] | None = None):
        self.application, self.options, self.build = app, options, build
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        # gunicorn calls this in each worker, after the fork (no preload_app).
        return self.build() if self.build is not None else self.application


def bounded_tls(_config, default_context_factory):
    """gunicorn's `ssl_context` hook: the TLS handshake of a new connection must end within
    HEADER_SECONDS (gevent makes it before gunicorn reads a byte, with no time limit: a
    connection that never says hello held its place for ever)."""
    context = default_context_factory()
    wrap = context.wrap_socket

    def wrap_socket(sock, *args, **kwargs):
        sock.settimeout(HEADER_SECONDS)
        try:
            tls = wrap(sock, *args, **kwargs)
        except OSError:  # timed out, or not TLS at all
            sock.close()
            import gevent

            raise gevent.GreenletExit from None  # ends this connection's greenlet quietly
        tls.settimeout(None)
        return tls

    context.wrap_socket = wrap_socket
    return context


def raise_file_limit(connections: int) -> int:
    """Let this process open enough files for its connections (the soft limit is often
    1,024: past it, SQLite says 'unable to open database file'). The limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections * FILES_PER_CONNECTION + SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < wanted:
        soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return soft


def serve(app: Flask, host: str, port: int, *, connections: int = 4000,
          certfile: str | None = None, keyfile: str | None = None, workers: int = 1,
          build: Callable[[], Flask] | None = None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM). `build`, when given, makes each worker's
    app after the fork (several workers, or one of several `serve` behind a proxy)."""
    raise_file_limit(connections)
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "timeout": 60,
        "graceful_timeout": 5,
        "keepalive": HEADER_SECONDS,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "certfile": certfile,
        "keyfile": keyfile,
    }
    if green.active():
        options.update(worker_class="gevent", worker_connections=connections,
                       ssl_context=bounded_tls)
    else:
        options.update(worker_class="gthread", threads=min(connections, 1000))
    KioskServer(app, options, build).run()
