"""What the in-memory headcounts read (kiosk.headcounts.tallies): who changed since a
sequence number, and those people's registration and presence.

Read the mark and the rows after it in one `reading` transaction (kiosk.store.connection).
The `tally_changes` table is written by triggers on attendees and presence
(kiosk.store.schema, `log_changes_for_headcounts`); nothing here writes.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store import attendees as attendee_store
from kiosk.store.attendees import Attendee
from kiosk.store.connection import select


@dataclass(frozen=True)
class Mark:
    """Where the change log stands: the file's epoch and the latest sequence number."""

    epoch: str
    seq: int


@dataclass(frozen=True)
class Presence:
    first_in: str | None  # their first live entry (as the presence triggers say)
    location: str | None  # where they are when `direction` is 'in'
    direction: str | None


def mark(db: Database) -> Mark:
    epoch, seq = db.execute("SELECT (SELECT epoch FROM tally_state WHERE id = 1),"
                            " (SELECT coalesce(max(seq), 0) FROM tally_changes)").fetchone()
    return Mark(epoch, seq)


def changed_since(db: Database, seq: int) -> list[int]:
    """Ids of the people whose registration or presence changed after `seq`."""
    return [row[0] for row in db.execute(
        "SELECT attendee_id FROM tally_changes WHERE seq > ?", [seq])]


def attendees_by_id(db: Database, ids: Collection[int] | None = None) -> dict[int, Attendee]:
    """These attendees (everyone when `ids` is None); an id without a row is left out."""
    if ids is None:
        rows = select(db, "SELECT * FROM attendees")
    else:
        rows = select(db, "SELECT * FROM attendees WHERE id IN (SELECT value FROM"
                      " json_each(?))", [json.dumps(sorted(ids))])
    return {row["id"]: attendee_store.from_row(row) for row in rows}


def presence_by_id(db: Database, ids: Collection[int] | None = None) -> dict[int, Presence]:
    """These people's presence rows (everyone's when `ids` is None)."""
    sql = "SELECT attendee_id, first_in, location, direction FROM presence"
    params: list = []
    if ids is not None:
        sql += " WHERE attendee_id IN (SELECT value FROM json_each(?))"
        params = [json.dumps(sorted(ids))]
    return {row[0]: Presence(*row[1:]) for row in db.execute(sql, params)}
