"""The reads on a scan's hot path, one statement each.

A statement costs a scan more than its SQL: the driver's round trip, the rows turned into
Python, and, where threads serve the requests, the GIL let go and taken back around every
step (measured with eight stations in threading mode: ~60 context switches per scan). So
what a scan needs to know is read in one statement (three before), and the reception's
counter in one more (two before).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store.attendees import Attendee, from_row
from kiosk.store.connection import select
from kiosk.store.movements import Place


@dataclass(frozen=True)
class Lookup:
    prior_id: int | None  # the movement already recorded under this scan_id (a retry)
    attendee: Attendee | None  # whose badge this is; None for a code of nobody
    place: Place  # where that person is now


def lookup(db: Database, scan_id: str | None, code: str | None,
           station_id: int | None = None) -> Lookup:
    """The movement this station recorded under `scan_id`, the attendee holding `code`,
    and where they are."""
    rows = select(db, """
        SELECT (SELECT id FROM movements WHERE ifnull(station_id, 0) = :station
                AND scan_id = :scan_id) AS scan_prior_id,
               p.first_in AS scan_first_in, p.location AS scan_location,
               p.direction AS scan_direction, a.*
        FROM (SELECT 1) AS one
        LEFT JOIN attendees a ON a.badge_code = :code
        LEFT JOIN presence p ON p.attendee_id = a.id""",
        {"scan_id": scan_id, "code": code, "station": station_id or 0})
    row = rows[0]
    attendee = from_row(row) if row["id"] is not None else None
    place = Place(row["scan_first_in"], row["scan_location"], row["scan_direction"])
    return Lookup(row["scan_prior_id"], attendee, place)


@dataclass(frozen=True)
class Tally:
    registered: int
    cancelled: int
    walk_ins: int
    arrived: int  # checked in at least once (not undone)
    on_site: int  # arrived and not checked out


def tally(db: Database) -> Tally:
    """The counter's figures. SQLite counts a whole table from its pages without reading a
    row, and the rest from small partial indexes (the cancellations, the walk-ins, who has
    not arrived, who is on site); presence is derived from the movement log by triggers
    (schema.create_presence)."""
    total, cancelled, walk_ins, scanned, not_arrived, on_site = db.conn.execute(
        "SELECT (SELECT count(*) FROM attendees),"
        " (SELECT count(*) FROM attendees WHERE status = 'cancelled'),"
        " (SELECT count(*) FROM attendees WHERE status = 'walk-in'),"
        " (SELECT count(*) FROM presence),"
        " (SELECT count(*) FROM presence WHERE first_in IS NULL),"
        " (SELECT count(*) FROM presence WHERE direction = 'in')").fetchone()
    return Tally(total - cancelled - walk_ins, cancelled, walk_ins, scanned - not_arrived,
                 on_site)
