"""Several workers on one host: Flask-SocketIO's Redis message queue, plus what kiosk needs
of it (`serve --workers N --message-queue redis://…`, README "Several workers").

Each worker keeps its own screens: its broadcaster (kiosk/web/live.py) knows which views
its clients watch and pushes them their snapshot, delivered locally. What must cross
workers goes through the queue's Redis channel, each message handled once by every worker
(the sender included, in the order Redis received them):
- `changed`: a worker committed a scan, so every worker runs a round for its screens;
- `revoked`: a station was revoked, so whichever worker holds its screens closes them.
The `seq` every snapshot carries comes from one Redis counter (INCR), so it only goes up
for a screen, whichever worker it is or was connected to.

Each worker builds its app after gunicorn forked it (kiosk/serving/server.py): its own
manager, so its own `host_id` (python-socketio skips queue messages carrying its own id;
workers sharing the master's would never hear each other) and its own Redis connections.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import socketio

SIGNALS = "/kiosk-workers"  # a namespace no client connects to: messages between workers


class WorkersManager(socketio.RedisManager):
    """The Redis queue; messages on the SIGNALS namespace go to `on_signal`, not to
    clients."""

    def __init__(self, url: str, channel: str):
        super().__init__(url, channel=channel)
        self.on_signal: Callable[[str, object], None] = lambda _name, _data: None

    def signal(self, name: str, data: object = None) -> None:
        """Tell every worker, this one included (at once, here)."""
        self.emit(name, data, namespace=SIGNALS)

    def next_seq(self) -> int:
        """The next snapshot sequence number, shared by all workers."""
        if not self.connected:
            self._redis_connect()
        return int(self.redis.incr(f"{self.channel}:seq"))

    def _handle_emit(self, message: dict) -> None:
        if message.get("namespace") == SIGNALS:
            data = message.get("data") or [None]
            self.on_signal(message.get("event"), data[0])
            return
        super()._handle_emit(message)


def channel_for(database: str) -> str:
    """One channel per database file: two events served from one Redis stay apart."""
    return "kiosk-" + hashlib.sha256(database.encode()).hexdigest()[:12]


def manager(url: str | None, database: str) -> WorkersManager | None:
    """The client manager for Flask-SocketIO (None: one process, no queue)."""
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"message queue {url!r}: only redis:// is supported")
    return WorkersManager(url, channel_for(database))


def start_listening(server) -> None:
    """Subscribe now rather than at the first client: a worker must hear every `changed`
    from the moment it accepts a screen."""
    if isinstance(server.manager, WorkersManager) and not server.manager_initialized:
        server.manager_initialized = True
        server.manager.initialize()


def socketio_options(app) -> dict:
    """Flask-SocketIO's options for this app's MESSAGE_QUEUE and WORKERS (set by `serve`).

    Several workers share one listening socket, and the kernel hands each new connection
    to any of them: Engine.IO's long polling (a handshake, then one request per message,
    each of which must reach the worker holding the session) would fail, so the sockets
    are WebSocket-only (one connection, one worker, for its whole life). Given always, so
    that an app made earlier in the same process leaves nothing behind (Flask-SocketIO
    keeps its options across init_app calls)."""
    several = int(app.config.get("WORKERS") or 1) > 1
    return {"client_manager": manager(app.config.get("MESSAGE_QUEUE"),
                                      str(app.config["DATABASE"])),
            "transports": ["websocket"] if several else None}
