"""A registration list imported as a job: the importer itself, in one transaction."""

from __future__ import annotations

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.jobs.board import Job, JobError
from kiosk.registrations.importer import MassCancelError, import_registrations
from kiosk.registrations.reading import ImportFileError
from kiosk.store import imports


def import_list(db: Database, event: Event, data: bytes, filename: str, *, partial: bool,
                mapping: dict[str, str], job: Job, allow_mass_cancel: bool = False) -> None:
    """Import the file as `python -m kiosk import` does; the outcome holds the counts and
    the import log's id. What the importer refuses (an unreadable file, a mapping that does
    not fit, its guards) fails the job with the importer's own words, and changes nothing."""
    job.progress(0, 0, "Bestand lezen…")
    try:
        plan = import_registrations(db, event, data, filename, partial=partial,
                                    mapping=mapping or None,
                                    progress=lambda done, total: job.progress(done, total),
                                    allow_mass_cancel=allow_mass_cancel)
    except MassCancelError as exc:
        raise JobError(f"Geweigerd, niets opgeslagen: {exc}. Vink in het voorbeeld aan dat "
                       "ze toch geannuleerd mogen worden.") from None
    except ImportFileError as exc:
        raise JobError(str(exc)) from None
    logged = imports.latest(db)
    job.outcome = {"counts": plan.counts(), "import_id": logged["id"] if logged else None}
    counts = plan.counts()
    job.note = (f"{counts['added']} nieuw · {counts['updated']} gewijzigd · "
                f"{counts['restored']} opnieuw ingeschreven · {counts['cancelled']} geannuleerd"
                f" · {counts['rejected']} geweigerd")
