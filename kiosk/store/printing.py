"""The printers table and the print queue (print_jobs): one queue per printer, oldest first.

A job goes queued -> printing -> done or failed; a failed job stays failed (with the
printer's words) until somebody retries or cancels it, and while it does its printer sends
nothing else: the jobs behind it wait, in order. Jobs are never deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store.connection import select

KINDS = ("cups", "brother_ql", "zpl")
STATES = ("queued", "printing", "done", "failed", "cancelled")
REASONS = ("arrival", "walk_in", "reprint", "request", "kiosk")


@dataclass(frozen=True)
class PrinterRow:
    id: int
    name: str
    kind: str
    settings: dict
    created_at: str
    removed_at: str | None


@dataclass(frozen=True)
class PrintJob:
    id: int
    printer_id: int
    attendee_id: int
    reason: str
    state: str
    error: str
    printer_job: str
    badge_version: int | None
    attempts: int
    station_id: int | None
    created_at: str
    started_at: str | None
    finished_at: str | None
    first_name: str = ""  # whose badge, for the queue's page
    last_name: str = ""


def _printer(row: dict) -> PrinterRow:
    return PrinterRow(**dict(row, settings=json.loads(row["settings"])))


def add_printer(db: Database, name: str, kind: str, settings: dict, at: str) -> PrinterRow:
    cursor = db.execute("INSERT INTO printers (name, kind, settings, created_at) VALUES"
                        " (?, ?, ?, ?)", [name, kind, json.dumps(settings, sort_keys=True), at])
    return get_printer(db, cursor.lastrowid)


def get_printer(db: Database, printer_id: int) -> PrinterRow | None:
    rows = select(db, "SELECT * FROM printers WHERE id = ?", [printer_id])
    return _printer(rows[0]) if rows else None


def printer_named(db: Database, name: str) -> PrinterRow | None:
    rows = select(db, "SELECT * FROM printers WHERE name = ?", [name])
    return _printer(rows[0]) if rows else None


def all_printers(db: Database) -> list[PrinterRow]:
    return [_printer(r) for r in select(db, "SELECT * FROM printers WHERE removed_at IS NULL"
                                            " ORDER BY id")]


def remove_printer(db: Database, printer_id: int, at: str) -> bool:
    cursor = db.execute("UPDATE printers SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                        [at, printer_id])
    return cursor.rowcount == 1


_JOB = ("SELECT j.*, a.first_name, a.last_name FROM print_jobs j"
        " JOIN attendees a ON a.id = j.attendee_id")


def add_job(db: Database, printer_id: int, attendee_id: int, reason: str,
            station_id: int | None, at: str) -> PrintJob:
    cursor = db.execute("INSERT INTO print_jobs (printer_id, attendee_id, reason, station_id,"
                        " created_at) VALUES (?, ?, ?, ?, ?)",
                        [printer_id, attendee_id, reason, station_id, at])
    return get_job(db, cursor.lastrowid)


def get_job(db: Database, job_id: int) -> PrintJob | None:
    rows = select(db, f"{_JOB} WHERE j.id = ?", [job_id])
    return PrintJob(**rows[0]) if rows else None


def jobs(db: Database, printer_id: int | None = None, limit: int = 200) -> list[PrintJob]:
    """The newest jobs first (of one printer, or of all)."""
    where, params = ("WHERE j.printer_id = ?", [printer_id]) if printer_id else ("", [])
    return [PrintJob(**r) for r in select(db, f"{_JOB} {where} ORDER BY j.id DESC LIMIT ?",
                                          [*params, limit])]


def next_job(db: Database, printer_id: int) -> PrintJob | None:
    """The job the printer should send now: the oldest queued one, unless a job is being
    printed or a failed one waits for a person (then nothing)."""
    rows = select(db, f"""{_JOB} WHERE j.printer_id = ? AND j.state = 'queued'
        AND NOT EXISTS (SELECT 1 FROM print_jobs b WHERE b.printer_id = j.printer_id
                        AND b.state IN ('printing', 'failed'))
        ORDER BY j.id LIMIT 1""", [printer_id])
    return PrintJob(**rows[0]) if rows else None


def start_job(db: Database, job_id: int, at: str) -> bool:
    cursor = db.execute("UPDATE print_jobs SET state = 'printing', started_at = ?,"
                        " attempts = attempts + 1, error = '' WHERE id = ? AND state = 'queued'",
                        [at, job_id])
    return cursor.rowcount == 1


def finish_job(db: Database, job_id: int, state: str, at: str, *, error: str = "",
               printer_job: str = "", badge_version: int | None = None) -> None:
    db.execute("UPDATE print_jobs SET state = ?, finished_at = ?, error = ?, printer_job = ?,"
               " badge_version = coalesce(?, badge_version) WHERE id = ?",
               [state, at, error, printer_job, badge_version, job_id])


def requeue(db: Database, job_id: int) -> bool:
    """A failed job back in the queue, in its old place (the queue is by id)."""
    cursor = db.execute("UPDATE print_jobs SET state = 'queued', finished_at = NULL"
                        " WHERE id = ? AND state = 'failed'", [job_id])
    return cursor.rowcount == 1


def cancel(db: Database, job_id: int, at: str) -> bool:
    """Give up on a job that is waiting or failed (the badge is handed out another way)."""
    cursor = db.execute("UPDATE print_jobs SET state = 'cancelled', finished_at = ?"
                        " WHERE id = ? AND state IN ('queued', 'failed')", [at, job_id])
    return cursor.rowcount == 1


def interrupted(db: Database, at: str, error: str) -> int:
    """Jobs left 'printing' by a server that stopped: failed, since nobody knows whether
    the label came out (a retry is one tap; a silent second print is not what we want)."""
    return db.execute("UPDATE print_jobs SET state = 'failed', finished_at = ?, error = ?"
                      " WHERE state = 'printing'", [at, error]).rowcount


def printers_with_work(db: Database) -> list[int]:
    return [r["printer_id"] for r in select(
        db, "SELECT DISTINCT printer_id FROM print_jobs WHERE state = 'queued'")]


def printing_now(db: Database) -> int:
    """How many jobs are being printed (or were, when a spooler stopped half-way)."""
    return db.execute("SELECT count(*) FROM print_jobs WHERE state = 'printing'").fetchone()[0]


def counts(db: Database) -> dict[int, dict[str, int]]:
    """{printer id: {state: number of jobs}}."""
    found: dict[int, dict[str, int]] = {}
    for row in select(db, "SELECT printer_id, state, count(*) AS n FROM print_jobs"
                          " GROUP BY printer_id, state"):
        found.setdefault(row["printer_id"], {})[row["state"]] = row["n"]
    return found
