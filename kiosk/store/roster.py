"""What the stations' local rosters are made of: each person's row with their arrival,
changed since a version. The version is the headcounts' change log (`tally_changes`,
schema.log_changes_for_headcounts: one sequence number per person, bumped by triggers at
every change to their registration or their presence, kept when they are deleted), so
the rosters and the live counts read the same log."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store.attendees import Attendee, from_row
from kiosk.store.connection import select


@dataclass(frozen=True)
class RosterChange:
    version: int
    attendee_id: int
    attendee: Attendee | None  # None: this person is gone (a wiped rehearsal walk-in)
    first_in: str | None  # their first live entry, as presence has it


def version(db: Database) -> int:
    """The latest change's version (0 for an empty list)."""
    return db.execute("SELECT coalesce(max(seq), 0) FROM tally_changes").fetchone()[0]


def changes(db: Database, since: int) -> list[RosterChange]:
    """Everyone whose row or arrival changed after version `since`, oldest change first."""
    rows = select(db, """
        SELECT r.seq AS roster_version, r.attendee_id AS roster_attendee,
               p.first_in AS roster_first_in, a.*
        FROM tally_changes r
        LEFT JOIN attendees a ON a.id = r.attendee_id
        LEFT JOIN presence p ON p.attendee_id = r.attendee_id
        WHERE r.seq > ? ORDER BY r.seq""", [since])
    return [RosterChange(row["roster_version"], row["roster_attendee"],
                         from_row(row) if row["id"] is not None else None,
                         row["roster_first_in"]) for row in rows]
