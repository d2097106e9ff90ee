"""Removing the personal data after the event, and leaving nothing of it in the file.

What goes: every attendee row (names, e-mails, functions, bestuur, choices, diets,
comments, badge codes, and with them the print jobs of their badges: ON DELETE CASCADE),
the movement log and the presence derived from it (who was where when), and the rejected
or questionable lines of the import log (they hold the file's cells). What stays: the
stations (device names), the import log's file names and counts, and what
`kiosk.store.aggregates` holds. SQLite keeps deleted rows in free pages and in the
WAL until they are overwritten: `secure_delete` zeroes them as they go, and `compact`
rebuilds the file and empties the WAL.
"""

from __future__ import annotations

from sqlite_utils import Database

from kiosk.store import search_index


def personal_counts(db: Database) -> dict[str, int]:
    """How much personal data the database holds now (what a purge would remove)."""
    attendees, movements, rows = db.execute(
        "SELECT (SELECT count(*) FROM attendees), (SELECT count(*) FROM movements),"
        " (SELECT count(*) FROM import_rows)").fetchone()
    return {"attendees": attendees, "movements": movements, "import_rows": rows}


def delete_personal_data(db: Database) -> dict[str, int]:
    """Delete it all (inside the caller's transaction); returns how many rows went."""
    counts = personal_counts(db)
    db.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left readable
    # The presence triggers would recompute a row per deleted movement: drop them first,
    # then the derived table goes as a whole. They come back unchanged below.
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
        " AND name LIKE 'movements_presence_%'").fetchall()
    for name, _sql in triggers:
        db.execute(f"DROP TRIGGER {name}")
    db.execute("DELETE FROM movements")
    db.execute("DELETE FROM presence")
    for _name, sql in triggers:
        db.execute(sql)
    db.execute("DELETE FROM attendees")
    search_index.clear(db)  # the folded names in the search index go too
    db.execute("DELETE FROM import_rows")
    return counts


def compact(db: Database) -> bool:
    """Rebuild the file without the freed pages and empty the WAL (outside a
    transaction). False when another connection kept the WAL from being emptied (a
    running server): the old pages may then linger in it until that connection closes."""
    db.execute("PRAGMA secure_delete = ON")
    db.execute("VACUUM")
    busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0
