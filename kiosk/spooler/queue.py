"""Printers and print jobs: what the pages and the API ask of the print queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from kiosk.printing import printers
from kiosk.registrations import codes
from kiosk.store import attendees as attendee_store
from kiosk.store import now, transaction
from kiosk.store import printing as store
from kiosk.store.printing import PrinterRow, PrintJob
from kiosk.text import clean

MAX_NAME = 60


class QueueError(ValueError):
    """Asked for something the queue cannot do (unknown printer, job not failed)."""


def add_printer(db: Database, name: str, kind: str, settings: dict[str, Any]) -> PrinterRow:
    """A printer the server may send badges to; its settings checked by its driver."""
    name = clean(name or "")[:MAX_NAME]
    if not name:
        raise QueueError("geef de printer een naam")
    try:
        checked = printers.validate(kind, settings)
    except printers.PrinterSettingsError as exc:
        raise QueueError(str(exc)) from None
    with transaction(db):
        if store.printer_named(db, name):
            raise QueueError(f"er is al een printer {name!r}")
        return store.add_printer(db, name, kind, checked, now())


def list_printers(db: Database) -> list[PrinterRow]:
    return store.all_printers(db)


def printer(db: Database, printer_id: int) -> PrinterRow:
    found = store.get_printer(db, printer_id)
    if found is None or found.removed_at:
        raise QueueError(f"geen printer met nummer {printer_id}")
    return found


def enqueue(db: Database, printer_id: int, attendee_id: int, reason: str = "request",
            station_id: int | None = None) -> PrintJob:
    """A badge to print; the spooler sends it when its turn comes."""
    if reason not in store.REASONS:
        raise QueueError(f"onbekende reden {reason!r}")
    with transaction(db):
        printer(db, printer_id)
        if attendee_store.get(db, attendee_id) is None:
            raise QueueError(f"geen deelnemer met nummer {attendee_id}")
        return store.add_job(db, printer_id, attendee_id, reason, station_id, now())


def retry(db: Database, job_id: int) -> PrintJob:
    """A failed job back in its place in the queue; its printer goes on."""
    with transaction(db):
        if not store.requeue(db, job_id):
            raise QueueError("alleen een mislukte afdruk kan opnieuw")
        return store.get_job(db, job_id)


def cancel(db: Database, job_id: int) -> PrintJob:
    """Give up on a waiting or failed job (it stays in the list, as cancelled)."""
    with transaction(db):
        if not store.cancel(db, job_id, now()):
            raise QueueError("alleen een wachtende of mislukte afdruk kan geannuleerd worden")
        return store.get_job(db, job_id)


def job(db: Database, job_id: int) -> PrintJob | None:
    return store.get_job(db, job_id)


@dataclass(frozen=True)
class PrinterQueue:
    """One printer as the queue page shows it."""
    printer: PrinterRow
    counts: dict[str, int]
    jobs: list[PrintJob]

    @property
    def halted(self) -> bool:
        """A failed job waits for a person: nothing else is sent meanwhile."""
        return self.counts.get("failed", 0) > 0


def overview(db: Database, limit: int = 50) -> list[PrinterQueue]:
    """Every printer with its counts per state and its newest jobs."""
    counts = store.counts(db)
    return [PrinterQueue(p, counts.get(p.id, {}), store.jobs(db, p.id, limit))
            for p in store.all_printers(db)]


def reprint(db: Database, attendee_id: int, printer_id: int | None,
            station_id: int | None = None) -> tuple[str, PrintJob | None]:
    """A lost badge: a new code (the old one is refused from now on: it is nobody's code
    any more), a new badge version, and a print job when a printer is given."""
    with transaction(db):
        person = attendee_store.get(db, attendee_id)
        if person is None:
            raise QueueError(f"geen deelnemer met nummer {attendee_id}")
        code = codes.new_code()
        while attendee_store.get_by_code(db, code):
            code = codes.new_code()
        attendee_store.replace_code(db, attendee_id, code, now())
        job_ = enqueue(db, printer_id, attendee_id, "reprint", station_id) \
            if printer_id is not None else None
    return code, job_
