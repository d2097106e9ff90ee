"""Registrations the import did not bring, added straight to a test server's database."""

from __future__ import annotations

from pathlib import Path

from kiosk.registrations import codes
from kiosk.store import attendees as attendee_store
from kiosk.store import connect, now, transaction
from kiosk.store.attendees import Attendee


def add_person(db_path: str | Path, **fields) -> Attendee:
    """Insert one attendee (e.g. a name with markup in it) with a fresh code and address."""
    person = Attendee(email=f"extra-{codes.new_code().lower()}@example.org",
                      badge_code=codes.new_code(), created_at=now(), updated_at=now(),
                      **fields)
    with connect(db_path) as db, transaction(db):
        return attendee_store.insert(db, person)
