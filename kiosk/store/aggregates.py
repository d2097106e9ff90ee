"""What purge keeps: the report's anonymous figures, and a line per purge.

The figures are JSON, one row per group (`totals`, `besturen`, `rooms`, ...): counts per
bestuur, theme, block, time bucket, meal and station, never a name, an e-mail or a code.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from kiosk.store.connection import select


def save(db: Database, figures: dict[str, object], computed_at: str) -> None:
    """Store (or replace) every group of figures."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO report_aggregates (name, data, computed_at) VALUES (?, ?, ?)",
        [(name, json.dumps(value, ensure_ascii=False, sort_keys=True), computed_at)
         for name, value in figures.items()])


def load(db: Database) -> dict[str, object] | None:
    """The stored figures, or None when nothing was kept (no purge yet)."""
    rows = select(db, "SELECT name, data FROM report_aggregates ORDER BY name")
    return {row["name"]: json.loads(row["data"]) for row in rows} or None


def record_purge(db: Database, purged_at: str, counts: dict[str, int]) -> None:
    db.execute("INSERT INTO purges (purged_at, counts) VALUES (?, ?)",
               [purged_at, json.dumps(counts, sort_keys=True)])


def purges(db: Database) -> list[dict]:
    """Every purge, oldest first: {purged_at, counts}."""
    return [{"purged_at": r["purged_at"], "counts": json.loads(r["counts"])}
            for r in select(db, "SELECT purged_at, counts FROM purges ORDER BY id")]
