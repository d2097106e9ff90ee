"""Opening the database and running transactions."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from sqlite_utils import Database

from kiosk.clock import real_now, stamp
from kiosk.store.schema import migrations

BUSY_TIMEOUT_MS = 10_000


class KioskDatabase(Database):
    """sqlite-utils' Database plus the write lock its file has in this process."""

    def __init__(self, conn: sqlite3.Connection, path: str | Path):
        super().__init__(conn)
        self.path = str(path)
        self.write_lock = _write_lock(self.path)


def connect(path: str | Path, *, migrate: bool = True) -> KioskDatabase:
    """Open (and create) the SQLite file at `path`, ready for concurrent use.

    WAL lets readers (dashboards) run beside the one writer (scans). `synchronous=FULL`
    makes every commit durable before we acknowledge it: a scan the tablet was told about
    survives a crash of the process and of the machine. The connection is in autocommit
    mode; `transaction()` opens explicit transactions.
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    db = KioskDatabase(conn, path)
    if migrate:
        migrations.apply(db)
    return db


def select(db: Database, sql: str, params: Sequence = ()) -> list[dict]:
    """A read's rows as dicts, straight from the driver. (sqlite-utils' `query()` wraps
    every statement in a savepoint, three statements for one read: a third of the
    statements of a scan.) For SELECTs only; writes go through `db.execute`."""
    cursor = db.conn.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor]


@contextlib.contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """One write transaction, on disk when this returns.

    Writers of this process queue on a lock before BEGIN IMMEDIATE: SQLite's own busy
    handler sleeps 1, 2, 5… ms between tries, far longer than a scan holds the lock.
    BEGIN IMMEDIATE then takes the database's write lock up front, so a writer in another
    process (the command line) queues on the busy timeout instead of failing half-way
    with 'database is locked'."""
    if db.conn.in_transaction:  # nested: join the outer transaction
        yield db
        return
    with _holding(getattr(db, "write_lock", None)):
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            # A full disk (SQLITE_FULL) may have rolled the transaction back already: a
            # second ROLLBACK would hide the real error behind "no transaction is active".
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")


@contextlib.contextmanager
def _holding(lock: threading.Lock | None) -> Iterator[None]:
    if lock is None:
        yield
        return
    if not lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):  # as SQLite's busy timeout would
        raise sqlite3.OperationalError("database is locked")
    try:
        yield
    finally:
        lock.release()


_WRITE_LOCKS: dict[str, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(path: str) -> threading.Lock:
    key = os.path.realpath(path)
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.Lock())


def now() -> str:
    """The real time as stored (ISO 8601 in UTC with milliseconds, sorts as text), for the
    facts a rehearsal does not move: when a row was imported or changed, when a tablet was
    last in contact. Event times (a scan's) come from the event clock (kiosk.clock)."""
    return stamp(real_now())


@contextlib.contextmanager
def reading(db: Database) -> Iterator[None]:
    """One read transaction: several SELECTs that see the same state of the file (in WAL
    mode a writer may commit between two statements otherwise). Joins an open one."""
    if db.conn.in_transaction:
        yield
        return
    db.conn.execute("BEGIN")
    try:
        yield
    finally:
        db.conn.execute("COMMIT")


# What SQLite says when the database cannot be written, and what we tell people (D11).
_STORAGE_PROBLEMS = (
    ("readonly", "read_only"),
    ("read-only", "read_only"),
    ("disk is full", "full"),
    ("disk i/o error", "io"),
    ("unable to open database file", "unavailable"),
)
STORAGE_MESSAGES = {
    "read_only": "De databank kan alleen gelezen worden: er kan niets bewaard worden. "
                 "Controleer de schrijfrechten van het databankbestand en zijn map.",
    "full": "De schijf van de server is vol: er kan niets bewaard worden. "
            "Maak ruimte vrij op de server.",
    "io": "De schijf van de server geeft leesfouten: er kan niets bewaard worden.",
    "unavailable": "De databank kan niet geopend worden: bestaat de map en mag de server "
                   "erin schrijven?",
}


def storage_problem(exc: BaseException) -> str | None:
    """'read_only', 'full', 'io' or 'unavailable' when `exc` says the database cannot be
    written or opened; None for any other error (a bug: let it show)."""
    if not isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError):
        return None
    text = str(exc).lower()
    return next((problem for needle, problem in _STORAGE_PROBLEMS if needle in text), None)
