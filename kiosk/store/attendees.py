"""The attendees table: who is expected, their choices, their badge code."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from sqlite_utils import Database

from kiosk.store import bulk
from kiosk.store.connection import select
from kiosk.text import fold

STATUSES = ("registered", "cancelled", "walk-in")
# What a registration carries; a change in any of these is an update at re-import.
CONTENT_FIELDS = ("first_name", "last_name", "organisation", "bestuur", "function",
                  "sessions", "meals", "diet", "diets", "comments", "note")
# What the printed badge shows; a change in any of these makes the printed badge stale.
BADGE_FIELDS = ("first_name", "last_name", "organisation", "bestuur", "function",
                "sessions", "diets")
_JSON_FIELDS = {"sessions", "meals", "diets"}


@dataclass
class Attendee:
    email: str
    first_name: str = ""
    last_name: str = ""
    organisation: str = ""
    bestuur: str | None = None
    function: str = ""
    sessions: dict[str, str] = field(default_factory=dict)
    meals: dict[str, bool] = field(default_factory=dict)
    diet: str = ""
    diets: list[str] = field(default_factory=list)
    comments: str = ""
    status: str = "registered"
    badge_code: str = ""
    badge_version: int = 1
    printed_version: int = 0
    source_row: int | None = None
    created_at: str = ""
    updated_at: str = ""
    cancelled_at: str | None = None
    rehearsal: int = 0  # 1: a walk-in registered during a rehearsal (wiped with it)
    note: str = ""  # for the door: "spreker — naar de sprekerstafel", "pers"
    id: int | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def content(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    def badge_content(self) -> dict:
        return {name: getattr(self, name) for name in BADGE_FIELDS}


_COLUMNS = [f.name for f in fields(Attendee)]


def _to_row(attendee: Attendee) -> dict:
    row = {name: getattr(attendee, name) for name in _COLUMNS}  # dataclasses.asdict is slow
    for name in _JSON_FIELDS:
        row[name] = json.dumps(row[name], ensure_ascii=False, sort_keys=True)
    row["search_key"] = search_key(attendee)
    if row["id"] is None:
        del row["id"]
    return row


def from_row(row: dict) -> Attendee:
    values = {name: row[name] for name in _COLUMNS}
    for name in _JSON_FIELDS:
        values[name] = json.loads(values[name])
    return Attendee(**values)


def search_key(attendee: Attendee) -> str:
    """Folded 'first last' used by the name search (accent- and case-insensitive)."""
    return fold(f"{attendee.first_name} {attendee.last_name}")


def all_attendees(db: Database, *, status: str | None = None) -> list[Attendee]:
    """Everyone, in id order; only one status when given."""
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    return [from_row(r) for r in select(db, f"SELECT * FROM attendees {where} ORDER BY id",
                                             params)]


def fingerprint(db: Database) -> tuple:
    """Changes whenever anyone is added or changed: lets readers reuse a parsed list."""
    return tuple(db.execute("SELECT count(*), max(id), max(updated_at), total(badge_version)"
                            " FROM attendees").fetchone())


def by_email(db: Database) -> dict[str, Attendee]:
    return {a.email: a for a in all_attendees(db)}


def get(db: Database, attendee_id: int) -> Attendee | None:
    rows = select(db, "SELECT * FROM attendees WHERE id = ?", [attendee_id])
    return from_row(rows[0]) if rows else None


def get_by_code(db: Database, code: str) -> Attendee | None:
    rows = select(db, "SELECT * FROM attendees WHERE badge_code = ?", [code])
    return from_row(rows[0]) if rows else None


def get_by_email(db: Database, email: str) -> Attendee | None:
    rows = select(db, "SELECT * FROM attendees WHERE email = ?", [email])
    return from_row(rows[0]) if rows else None


def insert(db: Database, attendee: Attendee) -> Attendee:
    """Insert one attendee and return it with its id."""
    row = _to_row(attendee)
    cursor = db.execute(
        f"INSERT INTO attendees ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()))
    attendee.id = cursor.lastrowid
    return attendee


def to_rows(attendees: Iterable[Attendee]) -> list[dict]:
    """The rows to store, made before a transaction: a long writer (an import) then holds
    the write lock only for the statements themselves."""
    return [_to_row(a) for a in attendees]


def insert_many(db: Database, attendees: Iterable[Attendee]) -> None:
    insert_rows(db, to_rows(attendees))


def insert_rows(db: Database, rows: list[dict]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    with bulk.inserting(db):  # the search index and the headcounts' log: once, at the end
        db.conn.executemany(
            f"INSERT INTO attendees ({', '.join(columns)}) VALUES"
            f" ({', '.join('?' * len(columns))})", [[r[c] for c in columns] for r in rows])


def update_many(db: Database, attendees: Iterable[Attendee]) -> None:
    """Write back every column but the id and e-mail of existing attendees."""
    update_rows(db, to_rows(attendees))


def update_rows(db: Database, rows: list[dict]) -> None:
    """update_many's rows, made by to_rows."""
    if not rows:
        return
    columns = [c for c in rows[0] if c not in ("id", "email")]
    assignments = ", ".join(f"{c} = ?" for c in columns)
    db.conn.executemany(f"UPDATE attendees SET {assignments} WHERE id = ?",
                        [[r[c] for c in columns] + [r["id"]] for r in rows])


def count_by_status(db: Database) -> dict[str, int]:
    """How many attendees have each status. SQLite counts a whole table from its pages
    without reading a row, and the few cancellations and walk-ins from the status index;
    the rest are registered (the CHECK constraint allows no other status)."""
    total, cancelled, walk_ins = db.execute(
        "SELECT (SELECT count(*) FROM attendees),"
        " (SELECT count(*) FROM attendees WHERE status = 'cancelled'),"
        " (SELECT count(*) FROM attendees WHERE status = 'walk-in')").fetchone()
    return {"registered": total - cancelled - walk_ins, "cancelled": cancelled,
            "walk-in": walk_ins}


def mark_printed(db: Database, versions: dict[int, int]) -> None:
    """Record which badge version was printed for each attendee id."""
    db.conn.executemany("UPDATE attendees SET printed_version = ? WHERE id = ?",
                        [(version, attendee_id) for attendee_id, version in versions.items()])


def printable(db: Database, *, only_changed: bool = False) -> list[Attendee]:
    """Everyone who should hold a badge (not cancelled); with only_changed, those whose
    printed badge is missing or stale (printed_version < badge_version)."""
    stale = "AND printed_version < badge_version" if only_changed else ""
    return [from_row(r) for r in select(
        db, f"SELECT * FROM attendees WHERE status != 'cancelled' {stale} ORDER BY id")]


def delete_rehearsal_walk_ins(db: Database) -> int:
    """Remove the walk-ins registered during a rehearsal (their movements must be gone
    first: `movements.delete_rehearsal`). Returns how many."""
    return db.execute("DELETE FROM attendees WHERE rehearsal = 1").rowcount


def set_note(db: Database, attendee_id: int, note: str, updated_at: str) -> bool:
    """The organiser's note for the door; False when there is no such attendee."""
    cursor = db.execute("UPDATE attendees SET note = ?, updated_at = ? WHERE id = ?",
                        [note, updated_at, attendee_id])
    return cursor.rowcount == 1


def replace_code(db: Database, attendee_id: int, code: str, updated_at: str) -> None:
    """A lost badge: a new code (the old one stops working) and a new badge version."""
    db.execute("UPDATE attendees SET badge_code = ?, badge_version = badge_version + 1,"
               " updated_at = ? WHERE id = ?", [code, updated_at, attendee_id])
