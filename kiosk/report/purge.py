"""After the event: keep the report's anonymous figures, remove the people.

`purge` computes the report's figures one last time (`figures.compute`, the same numbers
the screens showed), stores them (`kiosk.store.aggregates`), and in the same transaction
deletes every attendee (names, e-mails, functions, bestuur, choices, diets, comments,
badge codes), the movement log and the import log's lines (`kiosk.store.purging`). Then
the file is rebuilt so nothing of it lingers in free pages or the WAL, and the files the
console made (badge PDFs, uploaded lists, reports with names) are deleted. A second purge
keeps the figures of the first and removes whatever personal data came in since.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.report import figures
from kiosk.store import aggregates, now, purging, transaction


@dataclass(frozen=True)
class Purged:
    counts: dict[str, int]  # attendees, movements, import_rows removed
    kept_figures: bool  # False: the figures of an earlier purge were kept as they were
    wal_emptied: bool  # False: another connection (a running server) held the WAL open
    files_removed: int


def what_would_go(db: Database) -> dict[str, int]:
    """How many attendees, movements and import lines a purge would remove."""
    return purging.personal_counts(db)


def purge(db: Database, event: Event, clock: EventClock,
          files: Path | None = None) -> Purged:
    """Keep the figures, delete the personal data, compact the file, delete `files`."""
    first = not aggregates.purges(db)
    numbers = figures.compute(db, event, clock) if first else None
    stamp = now()
    with transaction(db):
        if numbers is not None:
            aggregates.save(db, numbers, stamp)
        counts = purging.delete_personal_data(db)
        aggregates.record_purge(db, stamp, counts)
    emptied = purging.compact(db)
    return Purged(counts, first, emptied, _remove(files))


def _remove(folder: Path | None) -> int:
    """Delete the console's files (they hold names); how many files went."""
    if folder is None or not folder.exists():
        return 0
    count = sum(1 for path in folder.rglob("*") if path.is_file())
    shutil.rmtree(folder)
    return count
