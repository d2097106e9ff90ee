"""The stations table: paired devices, their role and location, their hashed token."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store.connection import select


@dataclass(frozen=True)
class Station:
    id: int
    name: str
    role: str
    location: str | None
    created_at: str
    last_seen_at: str | None
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


_COLUMNS = "id, name, role, location, created_at, last_seen_at, revoked_at"


def insert(db: Database, name: str, role: str, location: str | None, token_hash: str,
           created_at: str) -> Station:
    cursor = db.execute(
        "INSERT INTO stations (name, role, location, token_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?)", [name, role, location, token_hash, created_at])
    return get(db, cursor.lastrowid)


def get(db: Database, station_id: int) -> Station | None:
    rows = select(db, f"SELECT {_COLUMNS} FROM stations WHERE id = ?", [station_id])
    return Station(**rows[0]) if rows else None


def by_token_hash(db: Database, token_hash: str) -> Station | None:
    rows = select(db, f"SELECT {_COLUMNS} FROM stations WHERE token_hash = ?", [token_hash])
    return Station(**rows[0]) if rows else None


def all_stations(db: Database) -> list[Station]:
    return [Station(**r) for r in select(db, f"SELECT {_COLUMNS} FROM stations ORDER BY id")]


def touch(db: Database, station_id: int, at: str) -> None:
    db.execute("UPDATE stations SET last_seen_at = ? WHERE id = ?", [at, station_id])


def revoke(db: Database, station_id: int, at: str) -> bool:
    cursor = db.execute("UPDATE stations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                        [at, station_id])
    return cursor.rowcount == 1


def revoke_named(db: Database, prefix: str, at: str) -> int:
    """Revoke every active station whose name starts with `prefix`; how many."""
    cursor = db.execute("UPDATE stations SET revoked_at = ? WHERE revoked_at IS NULL"
                        " AND substr(name, 1, length(?)) = ?", [at, prefix, prefix])
    return cursor.rowcount


def touch_many(db: Database, station_ids: list[int], at: str) -> None:
    """Record contact for every station with an open connection (one statement)."""
    if station_ids:
        marks = ", ".join("?" * len(station_ids))
        db.execute(f"UPDATE stations SET last_seen_at = ? WHERE id IN ({marks})",
                   [at, *station_ids])


@dataclass(frozen=True)
class Settings:
    """What a station does beyond its role (no row: the defaults)."""
    station_id: int
    printer_id: int | None = None
    print_on_arrival: bool = False
    pin_hash: str | None = None
    pin_failures: int = 0
    pin_locked_until: str | None = None


def settings(db: Database, station_id: int) -> Settings:
    rows = select(db, "SELECT * FROM station_settings WHERE station_id = ?", [station_id])
    if not rows:
        return Settings(station_id)
    row = rows[0]
    return Settings(**dict(row, print_on_arrival=bool(row["print_on_arrival"])))


def save_settings(db: Database, value: Settings) -> None:
    db.execute("INSERT INTO station_settings (station_id, printer_id, print_on_arrival, pin_hash,"
               " pin_failures, pin_locked_until) VALUES (?, ?, ?, ?, ?, ?)"
               " ON CONFLICT (station_id) DO UPDATE SET printer_id = excluded.printer_id,"
               " print_on_arrival = excluded.print_on_arrival, pin_hash = excluded.pin_hash,"
               " pin_failures = excluded.pin_failures,"
               " pin_locked_until = excluded.pin_locked_until",
               [value.station_id, value.printer_id, int(value.print_on_arrival), value.pin_hash,
                value.pin_failures, value.pin_locked_until])
