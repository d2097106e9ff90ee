"""The settings table: the service's own settings, changed by the organiser in the browser
(the public address of the pairing QR codes). Not personal data: purge leaves it."""

from __future__ import annotations

from sqlite_utils import Database

from kiosk.store.connection import select


def get(db: Database, key: str) -> str | None:
    rows = select(db, "SELECT value FROM settings WHERE key = ?", [key])
    return rows[0]["value"] if rows else None


def put(db: Database, key: str, value: str, at: str) -> None:
    db.execute("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
               " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
               " updated_at = excluded.updated_at", [key, value, at])


def delete(db: Database, key: str) -> None:
    db.execute("DELETE FROM settings WHERE key = ?", [key])
