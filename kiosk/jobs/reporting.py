"""The post-event report as a job: `python -m kiosk report`, into the job's folder."""

from __future__ import annotations

from sqlite_utils import Database

from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.jobs.board import Job
from kiosk.report.writing import write_report


def make_report(db: Database, event: Event, clock: EventClock, job: Job) -> None:
    job.progress(0, 1, "Cijfers berekenen…")
    written = write_report(db, event, clock, job.folder,
                           lambda done, total: job.progress(done, total, "Grafieken tekenen…"))
    job.files = [path.name for path in written.files]
    job.note = "Rapport klaar"
