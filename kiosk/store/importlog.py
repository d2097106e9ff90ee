"""The import log as the organiser browses it: every import, and one with its lines."""

from __future__ import annotations

import json

from sqlite_utils import Database

from kiosk.store.connection import select
from kiosk.store.imports import issues


def all_imports(db: Database) -> list[dict]:
    """Every import, newest first: id, filename, started_at, partial, counts."""
    return [dict(r, counts=json.loads(r["counts"]), partial=bool(r["partial"]))
            for r in select(db, "SELECT * FROM imports ORDER BY id DESC")]


def get_import(db: Database, import_id: int) -> dict | None:
    """One import with its rejected and questionable lines (`issues`)."""
    rows = select(db, "SELECT * FROM imports WHERE id = ?", [import_id])
    if not rows:
        return None
    return dict(rows[0], counts=json.loads(rows[0]["counts"]), partial=bool(rows[0]["partial"]),
                issues=issues(db, import_id))
