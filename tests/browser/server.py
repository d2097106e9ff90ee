"""A real kiosk server on 127.0.0.1 for browser tests, started and stopped by the test."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request: a page load is dozens of them. Errors still show."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def _closing(app):
    """The app, with each response closed even when the browser drops the connection
    mid-response (a page that navigates away, a service worker's cache cut short): there
    Werkzeug's dev server skips the response's close(), and the static file it was sending
    stays open until the garbage collector warns about it in some later test."""
    def wsgi(environ, start_response):
        body = app(environ, start_response)

        def chunks():
            try:
                yield from body
            finally:
                if hasattr(body, "close"):
                    body.close()
        return chunks()
    return wsgi


@dataclass
class LiveServer:
    """The app served by Werkzeug's threaded server in a background thread.

    Werkzeug, not `socketio.run`: it is the same server that `socketio.run` starts in
    threading mode (Socket.IO's WebSocket transport included, through simple-websocket), but
    `make_server` hands us `shutdown()`, so every test leaves no server behind. Port 0 lets
    the OS pick a free port, so there is no race between finding and binding one.
    """

    app: Flask
    host: str = "127.0.0.1"
    _server: BaseWSGIServer | None = field(default=None, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_port

    @property
    def url(self) -> str:
        """Base URL without a trailing slash: `live_server.url + "/reception"`."""
        return f"http://{self.host}:{self.port}"

    @property
    def origin(self) -> str:
        return self.url

    def start(self) -> LiveServer:
        self._server = make_server(
            self.host, 0, _closing(self.app), threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"live-server-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()  # waits for serve_forever to return
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
