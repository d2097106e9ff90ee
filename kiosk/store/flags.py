"""Scans kept for the organiser to look at instead of counted: a station's late scan of a
registration that was cancelled while it was offline (table scan_flags)."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from kiosk.store.connection import select


def record(db: Database, *, reason: str, attendee_id: int | None, station_id: int | None,
           scan_id: str | None, location: str, client_time: str | None, recorded_at: str,
           rehearsal: bool = False) -> bool:
    """Keep one flag; a retry of the same scan (same station, same scan_id) keeps none."""
    try:
        db.execute(
            "INSERT INTO scan_flags (reason, attendee_id, station_id, scan_id, location,"
            " client_time, recorded_at, rehearsal) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [reason, attendee_id, station_id, scan_id, location, client_time, recorded_at,
             int(rehearsal)])
    except sqlite3.IntegrityError:
        return True  # the same scan again: flagged already
    return True


def all_flags(db: Database) -> list[dict]:
    """Every flag with the person's name and the station's, oldest first."""
    return select(db, """
        SELECT f.id, f.reason, f.attendee_id, f.station_id, f.scan_id, f.location,
               f.client_time, f.recorded_at, a.first_name, a.last_name,
               coalesce(s.name, '') AS station
        FROM scan_flags f LEFT JOIN attendees a ON a.id = f.attendee_id
        LEFT JOIN stations s ON s.id = f.station_id ORDER BY f.id""")


def count_by_station(db: Database) -> dict[int | None, int]:
    rows = select(db, "SELECT station_id, count(*) AS n FROM scan_flags GROUP BY station_id")
    return {row["station_id"]: row["n"] for row in rows}
