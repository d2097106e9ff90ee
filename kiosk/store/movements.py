"""The movements table: the append-only log of scans (entries, exits) and their undos.

A movement is live unless a later 'undo' (or 'merge') movement points at it. A person's
place is the place of their latest live scan: inside a location after an 'in', off site
after an 'out'.

When a scan happened (`happened_at`) is when the server recorded it (`recorded_at`),
except for a scan a station sent late from its outbox (`offline`): that one happened at
its `client_time` when that is earlier and at most LATE_LIMIT earlier (a tablet whose idea
of the time is wildly off, or a scan kept from another day, is placed when it arrived).
Arrivals (`first_checkin(s)`, presence.first_in), places and the arrival buckets all read
`happened_at`, so a late-synced scan counts at the time it was made; the report's
"offline" figures compare client_time with recorded_at, which stays as the server saw it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store.connection import select

_LIVE = "m.kind = 'scan' AND NOT EXISTS (SELECT 1 FROM movements u WHERE u.undoes = m.id)"
_COLUMNS = ("id, attendee_id, location, direction, kind, scan_id, station_id, client_time,"
            " recorded_at, undoes, rehearsal, happened_at, offline")
LATE_LIMIT = dt.timedelta(hours=12)
# Each person's latest live scan: by the time it happened, then by id.
_LATEST_LIVE = f"""SELECT id FROM (
    SELECT m.id, row_number() OVER (PARTITION BY m.attendee_id
                                    ORDER BY m.happened_at DESC, m.id DESC) AS n
    FROM movements m WHERE {_LIVE}) WHERE n = 1"""


def happened(recorded_at: str, client_time: str | None, offline: bool) -> str:
    """The rule above: when a scan recorded at `recorded_at` (a stored stamp) happened."""
    if not offline or not client_time:
        return recorded_at
    try:
        made = dt.datetime.fromisoformat(client_time.replace("Z", "+00:00"))
        recorded = dt.datetime.fromisoformat(recorded_at)
    except ValueError:
        return recorded_at
    if made.tzinfo is None or not recorded - LATE_LIMIT <= made < recorded:
        return recorded_at
    return made.astimezone(dt.UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Movement:
    id: int
    attendee_id: int
    location: str
    direction: str
    kind: str
    scan_id: str | None
    station_id: int | None
    client_time: str | None
    recorded_at: str
    undoes: int | None
    rehearsal: int = 0  # 1: made on a rehearsal clock
    happened_at: str = ""  # when it happened (see `happened`)
    offline: int = 0  # 1: sent late from a station's outbox


def insert(db: Database, *, attendee_id: int, location: str, direction: str, recorded_at: str,
           kind: str = "scan", scan_id: str | None = None, station_id: int | None = None,
           client_time: str | None = None, undoes: int | None = None,
           rehearsal: bool = False, happened_at: str | None = None,
           offline: bool = False) -> int:
    cursor = db.execute(
        "INSERT INTO movements (attendee_id, location, direction, kind, scan_id, station_id,"
        " client_time, recorded_at, undoes, rehearsal, happened_at, offline)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [attendee_id, location, direction, kind, scan_id, station_id, client_time, recorded_at,
         undoes, int(rehearsal), happened_at or recorded_at, int(offline)])
    return cursor.lastrowid


def delete_rehearsal(db: Database) -> int:
    """Remove what a rehearsal left in the log: its scans and undos, every movement of a
    walk-in registered during it, and any undo that points at one of those (an undo made
    in rehearsal of a real scan goes too, so that real scan counts again). Real movements
    stay. Returns how many rows went; the presence triggers follow by themselves."""
    db.execute("""
        WITH gone AS (
            SELECT id FROM movements WHERE rehearsal = 1
            UNION SELECT id FROM movements
                  WHERE attendee_id IN (SELECT id FROM attendees WHERE rehearsal = 1))
        DELETE FROM movements
        WHERE id IN (SELECT id FROM gone) OR undoes IN (SELECT id FROM gone)""")
    # Not the cursor's rowcount: Python's sqlite3 before 3.12 says -1 for a statement that
    # starts with WITH. changes() counts this statement's rows, not the triggers'.
    return db.execute("SELECT changes()").fetchone()[0]


def count_rehearsal(db: Database) -> int:
    """How many movements a rehearsal left (before `delete_rehearsal`)."""
    return db.execute("SELECT count(*) FROM movements WHERE rehearsal = 1").fetchone()[0]


def by_scan_id(db: Database, scan_id: str, station_id: int | None = None) -> Movement | None:
    """The scan a station made under `scan_id` (scan_ids are a station's own)."""
    rows = select(db, f"SELECT {_COLUMNS} FROM movements WHERE ifnull(station_id, 0) = ?"
                      " AND scan_id = ?", [station_id or 0, scan_id])
    return Movement(**rows[0]) if rows else None


def all_by_scan_id(db: Database, scan_id: str) -> list[Movement]:
    """The scans of every station made under `scan_id` (for the organiser's undo)."""
    return [Movement(**row) for row in select(
        db, f"SELECT {_COLUMNS} FROM movements WHERE scan_id = ? ORDER BY id", [scan_id])]


def first_entry(db: Database, attendee_id: int) -> Movement | None:
    """This person's earliest live entry (the one their arrival time comes from)."""
    rows = select(
        db, f"SELECT {_COLUMNS} FROM movements m WHERE attendee_id = ? AND direction = 'in'"
        f" AND {_LIVE} ORDER BY happened_at, id LIMIT 1", [attendee_id])
    return Movement(**rows[0]) if rows else None


def undo_of(db: Database, movement_id: int) -> Movement | None:
    """The movement that undid `movement_id`, if any."""
    rows = select(db, f"SELECT {_COLUMNS} FROM movements WHERE undoes = ?", [movement_id])
    return Movement(**rows[0]) if rows else None


def first_checkin(db: Database, attendee_id: int) -> str | None:
    """When this person first came in (any live entry), or None."""
    rows = select(
        db, f"SELECT min(happened_at) AS at FROM movements m WHERE attendee_id = ? AND"
        f" direction = 'in' AND {_LIVE}", [attendee_id])
    return rows[0]["at"]


def last_live(db: Database, attendee_id: int) -> Movement | None:
    """This person's latest live scan: where they are now."""
    rows = select(
        db, f"SELECT {_COLUMNS} FROM movements m WHERE attendee_id = ? AND {_LIVE}"
        " ORDER BY happened_at DESC, id DESC LIMIT 1", [attendee_id])
    return Movement(**rows[0]) if rows else None


@dataclass(frozen=True)
class Place:
    """A person's state from the presence table: first entry, and where they are now
    (read by `scans.lookup`)."""

    first_in: str | None
    location: str | None
    direction: str | None  # 'in': on site at `location`; 'out' or None: not on site


def first_checkins(db: Database) -> dict[int, str]:
    """attendee id -> the time of their first entry that was not undone."""
    sql = f"""SELECT attendee_id, min(happened_at) AS at FROM movements m
              WHERE direction = 'in' AND {_LIVE} GROUP BY attendee_id"""
    return {row["attendee_id"]: row["at"] for row in select(db, sql)}


def current_places(db: Database) -> dict[int, Movement]:
    """attendee id -> their latest live scan (for everyone who was ever scanned)."""
    sql = f"""SELECT {_COLUMNS} FROM movements WHERE id IN ({_LATEST_LIVE})"""
    return {row["attendee_id"]: Movement(**row) for row in select(db, sql)}


def live_entries(db: Database) -> list[Movement]:
    """Every live entry, oldest first (the arrival curve reads these)."""
    return [Movement(**row) for row in select(
        db, f"SELECT {_COLUMNS} FROM movements m WHERE direction = 'in' AND {_LIVE}"
        " ORDER BY happened_at, id")]


def arrival_counts_from_log(db: Database) -> tuple[int, int]:
    """(people who arrived, people on site now) read from the whole log: a check for the
    presence table that `scans.tally` reads (it reads every movement, so not per scan)."""
    arrived = db.execute(
        f"SELECT count(DISTINCT attendee_id) FROM movements m WHERE direction = 'in'"
        f" AND {_LIVE}").fetchone()[0]
    on_site = db.execute(
        f"""SELECT count(*) FROM movements WHERE direction = 'in' AND id IN (
            {_LATEST_LIVE})""").fetchone()[0]
    return arrived, on_site


def offline_by_station(db: Database) -> dict[int | None, dict]:
    """Per station: how many of its scans came late from its outbox (`offline`), and when
    the last of them reached the server (a stored stamp)."""
    rows = select(db, """SELECT station_id, count(*) AS scans, max(recorded_at) AS last_synced
                         FROM movements WHERE offline = 1 AND kind = 'scan'
                         GROUP BY station_id""")
    return {row["station_id"]: {"scans": row["scans"], "last_synced": row["last_synced"]}
            for row in rows}
