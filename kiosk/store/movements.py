"""The movements table: the append-only log of scans (entries, exits) and their undos."""

from __future__ import annotations

from sqlite_utils import Database

# A movement counts unless a later 'undo' movement points at it.
_LIVE = "NOT EXISTS (SELECT 1 FROM movements u WHERE u.undoes = m.id)"


def first_checkins(db: Database) -> dict[int, str]:
    """attendee id -> the time of their first check-in that was not undone."""
    sql = f"""SELECT attendee_id, min(recorded_at) AS at FROM movements m
              WHERE direction = 'in' AND kind = 'scan' AND {_LIVE}
              GROUP BY attendee_id"""
    return {row["attendee_id"]: row["at"] for row in db.query(sql)}
