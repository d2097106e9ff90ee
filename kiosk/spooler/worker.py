"""The spooler: each printer's jobs sent one at a time, oldest first, each confirmed.

A job is marked `printing` before it is sent and `done` only when the printer (or CUPS)
confirmed it; if the printer refuses, cannot be reached or does not confirm in time, the
job is `failed` with those words and its printer sends nothing more until a person
retries or cancels it, so the badges behind it keep their order. A job found `printing`
when the spooler starts was interrupted (the spooler stopped half-way): it is failed,
never silently sent again, since nobody knows whether the label came out.

Each printer has a thread of its own while it has work, so a slow CUPS queue never holds
up the label printer at the kiosk. One spooler per database: a lock file next to it.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from kiosk.event import Event
from kiosk.printing import printers
from kiosk.printing.face import face_of
from kiosk.store import attendees as attendee_store
from kiosk.store import connect, now, transaction
from kiosk.store import printing as store
from kiosk.store.printing import PrintJob

log = logging.getLogger("kiosk.spooler")
INTERRUPTED = "onderbroken: de spooler stopte tijdens het afdrukken. Kijk of de badge eruit " \
              "kwam; zo niet, druk opnieuw af"
Printer = Callable[..., printers.Sent]


class SpoolerBusy(RuntimeError):
    """Another spooler already serves this database."""


class Spooler:
    """Sends the queued jobs of every printer of one database."""

    def __init__(self, db_path: str | Path, event: Event, *,
                 print_badge: Printer = printers.print_badge):
        self.db_path, self.event, self.print_badge = str(db_path), event, print_badge
        self.threads: dict[int, threading.Thread] = {}
        self.stopping = threading.Event()
        self.wake = threading.Event()
        self._lock_file = None

    def claim(self) -> None:
        """Be the one spooler of this database (SpoolerBusy if there is one already),
        and fail what an earlier spooler left half-printed."""
        handle = open(f"{self.db_path}.spooler.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise SpoolerBusy(f"er draait al een spooler voor {self.db_path}") from None
        self._lock_file = handle
        with connect(self.db_path) as db, transaction(db):
            stale = store.interrupted(db, now(), INTERRUPTED)
        if stale:
            log.warning("%d afdruk(ken) onderbroken door een eerdere stop", stale)

    def run(self, poll_s: float = 0.5) -> None:
        """Until stop(): look for work every `poll_s` (or at once after wake())."""
        self.claim()
        try:
            while not self.stopping.is_set():
                self.start_printers()
                self.wake.wait(poll_s)
                self.wake.clear()
        finally:
            self.join()
            self.release()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()

    def start_printers(self) -> None:
        """A thread for every printer that has queued jobs and no thread yet."""
        with connect(self.db_path, migrate=False) as db:
            busy = store.printers_with_work(db)
        for printer_id in busy:
            thread = self.threads.get(printer_id)
            if thread is None or not thread.is_alive():
                thread = threading.Thread(target=self.drain, args=(printer_id,), daemon=True,
                                          name=f"kiosk-printer-{printer_id}")
                self.threads[printer_id] = thread
                thread.start()

    def join(self, timeout: float | None = None) -> None:
        for thread in list(self.threads.values()):
            thread.join(timeout)

    def release(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def drain(self, printer_id: int) -> int:
        """Send this printer's jobs until none can go (none left, or one failed)."""
        sent = 0
        with connect(self.db_path, migrate=False) as db:
            while not self.stopping.is_set():
                job = self._take(db, printer_id)
                if job is None:
                    return sent
                self._print(db, job)
                sent += 1
        return sent

    def _take(self, db, printer_id: int) -> PrintJob | None:
        with transaction(db):
            job = store.next_job(db, printer_id)
            if job is None or not store.start_job(db, job.id, now()):
                return None
            return job

    def _print(self, db, job: PrintJob) -> None:
        """Send one job and record what the printer said; an unexpected error is a
        failure of the job too, never a lost job."""
        printer = store.get_printer(db, job.printer_id)
        person = attendee_store.get(db, job.attendee_id)
        try:
            face = face_of(person)
            sent = self.print_badge(printer.kind, printer.settings, face, self.event,
                                    title=f"badge {person.id}")
        except printers.PrintFailed as exc:
            self._finish(db, job, "failed", error=str(exc) or "afdrukken mislukt")
        except Exception as exc:  # a bug or a driver's surprise: the job stays, failed
            log.exception("afdruk %s", job.id)
            self._finish(db, job, "failed", error=f"onverwachte fout: {exc!r}")
        else:
            self._finish(db, job, "done", printer_job=sent.printer_job,
                         version=person.badge_version)
            log.info("afdruk %s klaar op %s (%s)", job.id, printer.name, sent.detail)

    def _finish(self, db, job: PrintJob, state: str, *, error: str = "",
                printer_job: str = "", version: int | None = None) -> None:
        with transaction(db):
            store.finish_job(db, job.id, state, now(), error=error[:500],
                             printer_job=printer_job, badge_version=version)
            if state == "done":
                attendee_store.mark_printed(db, {job.attendee_id: version})
