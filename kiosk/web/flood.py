"""What one live connection may cost the server (issue 11, D1 and D2).

Anyone on the venue network can open a socket. Measured before these limits: 1,000
Engine.IO WebSockets that never authenticated stayed open for ever, and a paired caterer
sending 2,000 `snapshot` events in 10 ms made the server build 2,000 snapshots at once
(1.57 GB, ~2,900 open files, a reception scan waiting 12.7 s). Now, per connection:

- it joins /live (authenticates) within AUTH_SECONDS of opening, or it is closed;
- its packets pass a token bucket (EVENTS_PER_SECOND, bursts of BURST): the rest are
  dropped before they are parsed or handed to a handler (a screen asks for a snapshot only
  when it saw a gap, a few times an hour);
- kiosk has no binary events: binary packets are dropped;
- a handler wrapped in `one_at_a_time` runs once at a time for it: a `snapshot` asked for
  while its previous one is being built is answered {"error": "busy"} at once.

Installed on the python-socketio server by wrapping its Engine.IO handlers (`guard`), so
the limits hold before python-socketio spawns a task for an event.
"""

from __future__ import annotations

import functools
import socket
import threading
import time
from collections.abc import Callable

from flask import request

AUTH_SECONDS = 5.0
EVENTS_PER_SECOND = 5.0
BURST = 20
SWEEP_SECONDS = 1.0
YIELD_EVERY = 32  # dropped packets between two turns for the other connections
DISCONNECT = "1"  # Socket.IO's packet type: a client leaving a namespace always passes


class Guard:
    """The limits for one python-socketio server (one app)."""

    def __init__(self, server, namespace: str):
        self.server, self.namespace = server, namespace
        self.lock = threading.Lock()
        self.opened: dict[str, float] = {}  # eio sid -> when, until it joins the namespace
        self.sockets: dict[str, object] = {}  # eio sid -> its TCP socket (under gunicorn)
        self.buckets: dict[str, list[float]] = {}  # eio sid -> [tokens, at]
        self.busy: set[tuple[str, str]] = set()  # (socket id, handler) being served
        self.sweeping = False
        self.dropped = 0  # packets dropped (for the bench and the tests)
        handlers = server.eio.handlers
        self.inner = {name: handlers[name] for name in ("connect", "message", "disconnect")}
        handlers.update(connect=self._connect, message=self._message,
                        disconnect=self._disconnect)

    def _connect(self, eio_sid: str, environ: dict):
        with self.lock:
            self.opened[eio_sid] = time.monotonic()
            self.sockets[eio_sid] = environ.get("gunicorn.socket")
            self.buckets[eio_sid] = [float(BURST), time.monotonic()]
            start, self.sweeping = not self.sweeping, True
        if start:
            self.server.start_background_task(self._sweep)
        return self.inner["connect"](eio_sid, environ)

    def _message(self, eio_sid: str, data) -> None:
        if not isinstance(data, str) or data[:1] in ("5", "6") or (
                data[:1] != DISCONNECT and not self._take(eio_sid)):
            self._drop()
            return
        self.inner["message"](eio_sid, data)
        if eio_sid in self.opened and self._joined(eio_sid):
            with self.lock:
                self.opened.pop(eio_sid, None)
                self.sockets.pop(eio_sid, None)

    def _disconnect(self, eio_sid: str, *args):
        with self.lock:
            self.opened.pop(eio_sid, None)
            self.sockets.pop(eio_sid, None)
            self.buckets.pop(eio_sid, None)
        return self.inner["disconnect"](eio_sid, *args)

    def _drop(self) -> None:
        """Count a dropped packet; now and then let the other connections in (a flood's
        packets arrive in long runs that would otherwise hold the event loop)."""
        self.dropped += 1
        if self.dropped % YIELD_EVERY == 0:
            self.server.sleep(0)

    def _take(self, eio_sid: str) -> bool:
        """One token from this connection's bucket, if it has one."""
        now = time.monotonic()
        with self.lock:
            bucket = self.buckets.setdefault(eio_sid, [float(BURST), now])
            bucket[0] = min(float(BURST), bucket[0] + (now - bucket[1]) * EVENTS_PER_SECOND)
            bucket[1] = now
            if bucket[0] < 1:
                return False
            bucket[0] -= 1
            return True

    def _joined(self, eio_sid: str) -> bool:
        manager = self.server.manager
        sid = manager.sid_from_eio_sid(eio_sid, self.namespace)
        return sid is not None and manager.is_connected(sid, self.namespace)

    def _sweep(self) -> None:
        """Close the connections that did not authenticate in time; ends when none wait."""
        while True:
            self.server.sleep(SWEEP_SECONDS)
            limit = time.monotonic() - AUTH_SECONDS
            with self.lock:
                late = [(sid, self.sockets.pop(sid, None))
                        for sid, at in self.opened.items() if at < limit]
                for sid, _sock in late:
                    del self.opened[sid]
                done = not self.opened
                if done:
                    self.sweeping = False
            for sid, sock in late:
                self._close(sid, sock)
            if done:
                return

    def _close(self, eio_sid: str, sock) -> None:
        """Engine.IO's close sends a close frame and then waits for the client's answer,
        which a client that never authenticated need not give: end the TCP connection."""
        try:
            self.server.eio.disconnect(eio_sid)
        except Exception:  # noqa: BLE001 - gone meanwhile
            pass
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def one_at_a_time(self, handler: Callable) -> Callable:
        """`handler` runs at most once at a time per connection; a call that arrives
        meanwhile is answered {"error": "busy"}."""
        @functools.wraps(handler)
        def wrapped(*args, **kwargs):
            key = (request.sid, handler.__name__)
            with self.lock:
                if key in self.busy:
                    self.dropped += 1
                    return {"error": "busy"}
                self.busy.add(key)
            try:
                return handler(*args, **kwargs)
            finally:
                with self.lock:
                    self.busy.discard(key)
        return wrapped


def guard(server, namespace: str) -> Guard:
    """Install the limits on this python-socketio server."""
    return Guard(server, namespace)
