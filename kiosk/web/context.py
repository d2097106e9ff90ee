"""Per-request access to the database and the event for views and socket handlers."""

from __future__ import annotations

import sqlite3
import threading

from flask import Flask, current_app, g
from sqlite_utils import Database

from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.store import connect
from kiosk.store.connection import BUSY_TIMEOUT_MS

POOL_SIZE = 32  # idle connections kept; more may be open at once, the extra ones are closed
MAX_OPEN = 64  # open at once: each is three files (db, -wal, -shm); a flood waits, not crashes


class ConnectionPool:
    """Open connections kept from one request for the next.

    Opening one (sqlite3.connect, four PRAGMAs, and on the last close a WAL checkpoint)
    costs more than a whole scan. A connection is handed back outside any transaction and
    is used by one request at a time; connections are made with check_same_thread=False.
    """

    def __init__(self, path: str, size: int = POOL_SIZE, most: int = MAX_OPEN):
        self.path, self.size = path, size
        self.idle: list[Database] = []
        self.lock = threading.Lock()
        self.slots = threading.BoundedSemaphore(most)

    def take(self) -> Database:
        if not self.slots.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError("database is busy: every connection is in use")
        try:
            return self._open()
        except BaseException:
            self.slots.release()
            raise

    def _open(self) -> Database:
        with self.lock:
            if self.idle:
                return self.idle.pop()
        return connect(self.path, migrate=False)

    def give_back(self, db: Database) -> None:
        try:
            if db.conn.in_transaction:  # never hand a half-done transaction to the next one
                db.conn.execute("ROLLBACK")
            with self.lock:
                if len(self.idle) < self.size:
                    self.idle.append(db)
                    return
            db.close()
        finally:
            self.slots.release()


_POOLS_LOCK = threading.Lock()


def _pool() -> ConnectionPool:
    """The app's pool for its configured database file."""
    path = str(current_app.config["DATABASE"])
    pools = current_app.extensions.setdefault("kiosk.pools", {})
    with _POOLS_LOCK:
        if path not in pools:
            pools[path] = ConnectionPool(path)
        return pools[path]


def get_db() -> Database:
    """The request's connection, taken from the pool on first use, given back at teardown."""
    if "db" not in g:
        g.db_pool = _pool()
        g.db = g.db_pool.take()
    return g.db


def get_event() -> Event:
    return current_app.extensions["kiosk.event"]


def get_clock() -> EventClock:
    """The service's clock (kiosk.clock): the real one, or the rehearsal's."""
    return current_app.extensions["kiosk.clock"]


def set_clock(clock: EventClock) -> None:
    """Replace the app's clock (`serve --clock` decides after the app was made)."""
    current_app.extensions["kiosk.clock"] = clock


def _close_db(_exc: BaseException | None = None) -> None:
    db, pool = g.pop("db", None), g.pop("db_pool", None)
    if db is not None:
        pool.give_back(db)


def init_app(app: Flask) -> None:
    """Migrate the database once at start-up; give connections back after each request."""
    connect(app.config["DATABASE"]).close()
    app.teardown_appcontext(_close_db)
