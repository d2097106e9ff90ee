"""Reads over the whole movement log: the day as it stood at a past moment, every scan in
the order it happened, a person's movements, and the log as an export.

The live snapshot asks "where is everyone now" (kiosk.store.movements); the report and
the organiser's console ask about moments that are over. A movement counts at a moment
when it was recorded by then and not undone by then (an undo recorded later did not yet
exist).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store.connection import select

# A scan counts from the time it happened (a late-synced offline scan from its client
# time, kiosk.store.movements.happened); an undo from the time it was recorded.
_LIVE_AT = ("m.kind = 'scan' AND m.happened_at <= :at AND NOT EXISTS (SELECT 1 FROM"
            " movements u WHERE u.undoes = m.id AND u.recorded_at <= :at)")
_LIVE = "m.kind = 'scan' AND NOT EXISTS (SELECT 1 FROM movements u WHERE u.undoes = m.id)"


def first_checkins_at(db: Database, at: str) -> dict[int, str]:
    """attendee id -> their first entry, as the log stood at `at` (a stored UTC stamp)."""
    sql = f"""SELECT attendee_id, min(happened_at) AS first FROM movements m
              WHERE direction = 'in' AND {_LIVE_AT} GROUP BY attendee_id"""
    return {row["attendee_id"]: row["first"] for row in select(db, sql, {"at": at})}


def places_at(db: Database, at: str) -> dict[int, str]:
    """attendee id -> the location they were at, at `at`, for those on site then."""
    sql = f"""SELECT attendee_id, location, direction FROM movements WHERE id IN (
                SELECT id FROM (SELECT m.id, row_number() OVER (PARTITION BY m.attendee_id
                    ORDER BY m.happened_at DESC, m.id DESC) AS n
                    FROM movements m WHERE {_LIVE_AT}) WHERE n = 1)"""
    return {row["attendee_id"]: row["location"] for row in select(db, sql, {"at": at})
            if row["direction"] == "in"}


@dataclass(frozen=True)
class Step:
    """One live scan, as the replay of the day needs it."""

    attendee_id: int
    location: str
    direction: str
    recorded_at: str


def live_scans(db: Database) -> list[Step]:
    """Every scan that was not undone, in the order it happened. `recorded_at` is the time
    it happened here: a late-synced offline scan falls in the bucket it was made in."""
    return [Step(**row) for row in select(
        db, f"SELECT attendee_id, location, direction, happened_at AS recorded_at"
        f" FROM movements m WHERE {_LIVE} ORDER BY happened_at, id")]


@dataclass(frozen=True)
class LoggedScan:
    """A scan as the station that made it sent it (the stations' figures)."""

    station_id: int | None
    client_time: str | None
    recorded_at: str
    undone: bool


def scan_log(db: Database) -> list[LoggedScan]:
    """Every scan recorded (undone ones too), with its station and the time the station
    said it was made."""
    rows = select(db, """
        SELECT m.station_id, m.client_time, m.recorded_at,
               EXISTS (SELECT 1 FROM movements u WHERE u.undoes = m.id) AS undone
        FROM movements m WHERE m.kind = 'scan' ORDER BY m.id""")
    return [LoggedScan(r["station_id"], r["client_time"], r["recorded_at"], bool(r["undone"]))
            for r in rows]


@dataclass(frozen=True)
class LogLine:
    """One movement with the names it refers to (a person's history, the export)."""

    id: int
    attendee_id: int
    first_name: str
    last_name: str
    bestuur: str
    location: str
    direction: str
    kind: str
    station: str
    client_time: str | None
    recorded_at: str
    undone: bool
    undoes: int | None
    rehearsal: bool


_LOG = """
    SELECT m.id, m.attendee_id, coalesce(a.first_name, '') AS first_name,
           coalesce(a.last_name, '') AS last_name,
           coalesce(a.bestuur, a.organisation, '') AS bestuur, m.location, m.direction,
           m.kind, coalesce(s.name, '') AS station, m.client_time, m.recorded_at,
           EXISTS (SELECT 1 FROM movements u WHERE u.undoes = m.id) AS undone, m.undoes,
           m.rehearsal
    FROM movements m
    LEFT JOIN attendees a ON a.id = m.attendee_id
    LEFT JOIN stations s ON s.id = m.station_id"""


def _lines(rows: list[dict]) -> list[LogLine]:
    return [LogLine(**dict(r, undone=bool(r["undone"]), rehearsal=bool(r["rehearsal"])))
            for r in rows]


def movements_of(db: Database, attendee_id: int) -> list[LogLine]:
    """One person's movements, oldest first (the console's person page)."""
    return _lines(select(db, _LOG + " WHERE m.attendee_id = ? ORDER BY m.id", [attendee_id]))


def movement_log(db: Database) -> list[LogLine]:
    """The whole log, oldest first (the report's movements.csv)."""
    return _lines(select(db, _LOG + " ORDER BY m.id"))
