"""Commits on disk before they are acknowledged, one fsync shared by the commits that
arrive together (group commit).

SQLite in WAL mode with `synchronous=FULL` fsyncs the WAL inside every COMMIT, while it
still holds the database's write lock: eight stations scanning at once queue behind each
other's fsync. With `synchronous=NORMAL` a COMMIT only writes the WAL (the file stays
consistent after any crash, but the last commits may roll back after a power cut); we
then fsync the WAL ourselves, outside the lock, before anyone is told the change happened.
One fsync makes durable every commit that returned before it started, so concurrent
writers share it, the way PostgreSQL's group commit does. Checkpoints still sync the WAL
and the database file themselves (SQLite does that in NORMAL mode too).

A commit takes a ticket (`committed()`); `wait(ticket)` returns once that commit is on
disk. Whoever finds no fsync in flight runs one for everybody (leader/follower). A caller
that has more to do before it answers (a web request building its response) calls
`start()` first: a helper thread begins the fsync at once, so it overlaps with that work.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)
HELPER_IDLE_SECONDS = 60


class DurabilityError(OSError):
    """The operating system could not put committed data on disk."""


class WalSync:
    """Group commit for one database file."""

    def __init__(self, db_path: str | Path):
        self.wal = Path(f"{db_path}-wal")
        self.cond = threading.Condition()
        self.issued = 0  # tickets handed out, one per commit
        self.synced = 0  # every ticket up to this one is on disk
        self.failed = 0  # tickets up to this one were covered by a failed fsync
        self.syncing = False
        self.fsyncs = 0  # how many fsyncs ran (the tests check that they are shared)
        self.wal_inode: int | None = None
        self.kick = threading.Condition(self.cond._lock)  # wakes the helper thread only
        self.helper: threading.Thread | None = None

    def committed(self) -> int:
        """Call right after COMMIT returned; the ticket to `wait` for."""
        with self.cond:
            self.issued += 1
            return self.issued

    def start(self) -> None:
        """Begin an fsync of every commit so far in the background (see `wait`)."""
        with self.cond:
            if self.helper is None:
                self.helper = threading.Thread(target=self._help, name="kiosk-wal-sync",
                                               daemon=True)
                self.helper.start()
            self.kick.notify()

    def _help(self) -> None:
        """The helper thread: fsync whenever commits are waiting; leave after a quiet
        minute (a test suite opens hundreds of databases)."""
        with self.cond:
            while True:
                if self.synced < self.issued and not self.syncing:
                    self._lead_one()
                elif not self.kick.wait(timeout=HELPER_IDLE_SECONDS):
                    self.helper = None
                    return

    def wait(self, ticket: int) -> None:
        """Return once the commit behind `ticket` is on disk (DurabilityError if the
        operating system refused)."""
        with self.cond:
            while self.synced < ticket:
                if ticket <= self.failed:
                    raise DurabilityError(f"fsync of {self.wal} failed")
                if self.syncing:
                    self.cond.wait()
                    continue
                self._lead_one()

    def _lead_one(self) -> None:
        """Run one fsync for every commit so far (called holding the condition's lock,
        which is released during the fsync so others can commit and queue up)."""
        self.syncing, target = True, self.issued
        self.cond.release()
        try:
            self._fsync()
            ok = True
        except OSError:
            log.critical("fsync of %s failed: recent scans may not be on disk", self.wal,
                         exc_info=True)
            ok = False
        finally:
            self.cond.acquire()
            self.syncing = False
            self.cond.notify_all()
        if ok:
            self.synced = max(self.synced, target)
        else:
            self.failed = max(self.failed, target)

    def _fsync(self) -> None:
        try:
            fd = os.open(self.wal, os.O_RDONLY)
        except FileNotFoundError:
            # No WAL: the last connection closed, which checkpointed it into the database
            # file and synced that; nothing of ours is left to flush.
            return
        try:
            inode = os.fstat(fd).st_ino
            _datasync(fd)
        finally:
            os.close(fd)
        self.fsyncs += 1
        if inode != self.wal_inode:
            # A new WAL file: its directory entry must be on disk too (SQLite syncs the
            # directory of a new WAL for the same reason).
            _fsync_directory(self.wal.parent)
            self.wal_inode = inode


# fdatasync, as SQLite uses on Linux: the data and the size, not the modification time.
_datasync = getattr(os, "fdatasync", os.fsync)


def _fsync_directory(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_SYNCS: dict[str, WalSync] = {}
_SYNCS_LOCK = threading.Lock()


def for_path(db_path: str | Path) -> WalSync:
    """The one WalSync of this process for a database file."""
    key = os.path.realpath(db_path)
    with _SYNCS_LOCK:
        if key not in _SYNCS:
            _SYNCS[key] = WalSync(key)
        return _SYNCS[key]
