"""The import log: one row per import, one row per rejected or questionable line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store.connection import select


@dataclass(frozen=True)
class RowIssue:
    """A problem with one line of a registration file (row numbers as a spreadsheet shows
    them: the header is row 1)."""

    row_number: int
    severity: str  # "error": the row was not imported; "warning": imported, but look at it
    reason: str
    field: str = ""
    value: str = ""
    row_values: dict | None = None
    email: str = ""  # a rejected row's e-mail, when it has a usable one (not stored)


def record(db: Database, filename: str, started_at: str, partial: bool, counts: dict,
           issues: Iterable[RowIssue]) -> int:
    """Store one import and its row issues; returns the import id."""
    cursor = db.execute(
        "INSERT INTO imports (filename, started_at, partial, counts) VALUES (?, ?, ?, ?)",
        [filename, started_at, int(partial), json.dumps(counts)])
    import_id = cursor.lastrowid
    db.conn.executemany(
        "INSERT INTO import_rows (import_id, row_number, severity, field, value, reason,"
        " row_values) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(import_id, i.row_number, i.severity, i.field, i.value, i.reason,
          json.dumps(i.row_values or {}, ensure_ascii=False)) for i in issues])
    return import_id


def latest(db: Database) -> dict | None:
    rows = select(db, "SELECT * FROM imports ORDER BY id DESC LIMIT 1")
    if not rows:
        return None
    result = dict(rows[0], counts=json.loads(rows[0]["counts"]))
    result["issues"] = issues(db, result["id"])
    return result


def issues(db: Database, import_id: int) -> list[RowIssue]:
    return [
        RowIssue(r["row_number"], r["severity"], r["reason"], r["field"], r["value"],
                 json.loads(r["row_values"]))
        for r in select(db, "SELECT * FROM import_rows WHERE import_id = ? ORDER BY id",
                          [import_id])
    ]
