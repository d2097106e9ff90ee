"""Stations and roles: who may do what, and the secret tokens that pair a device.

A station is a device (tablet, laptop, kitchen screen) paired to a role and a location.
Its token is shown once, at creation; only its SHA-256 is stored, so a copied database
does not hand out working tokens. Every page, API route and socket asks `allowed()`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.store import now, transaction
from kiosk.store import stations as station_store
from kiosk.store.stations import Station

ROLES = ("reception", "host", "caterer", "organiser")
# What each role may do. Caterers only look; hosts scan at and see their room.
PERMISSIONS: dict[str, frozenset[str]] = {
    "reception": frozenset({"scan", "search", "walk_in", "badge", "undo", "view_counts"}),
    "host": frozenset({"scan", "search", "view_counts", "view_room"}),
    "caterer": frozenset({"view_catering"}),
    "organiser": frozenset({"scan", "search", "walk_in", "badge", "undo", "view_counts",
                            "view_room", "view_catering", "view_all", "manage"}),
}
TOKEN_BYTES = 32
TOUCH_EVERY = dt.timedelta(seconds=20)  # last contact is recorded, but not on every request


class StationError(ValueError):
    """A station cannot be created as asked (unknown role or location)."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def default_location(role: str, event: Event) -> str | None:
    """Where a station stands when nobody says: reception at the first reception desk."""
    if role == "reception":
        desks = event.locations_of_kind("reception")
        return desks[0].id if desks else None
    return None


def create_station(db: Database, event: Event, role: str, name: str,
                   location: str | None = None) -> tuple[Station, str]:
    """Create a station; returns it with its secret token (shown once, never stored)."""
    if role not in ROLES:
        raise StationError(f"onbekende rol {role!r}; kies uit {', '.join(ROLES)}")
    if not name.strip():
        raise StationError("geef de post een naam")
    location = location or default_location(role, event)
    if location is not None and not event.has_location(location):
        known = ", ".join(loc.id for loc in event.locations)
        raise StationError(f"onbekende locatie {location!r}; kies uit {known}")
    if role == "host" and location is None:
        raise StationError("een zaalverantwoordelijke hoort bij een zaal: kies een plaats "
                           "(--location)")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction(db):
        station = station_store.insert(db, name.strip(), role, location, hash_token(token), now())
    return station, token


def authenticate(db: Database, token: str | None) -> Station | None:
    """The active station that holds `token`, recording its last contact."""
    if not token or len(token) > 200:
        return None
    station = station_store.by_token_hash(db, hash_token(token))
    return _seen(db, station)


def station_by_id(db: Database, station_id: int) -> Station | None:
    """The active station behind a paired browser session."""
    return _seen(db, station_store.get(db, station_id))


def _seen(db: Database, station: Station | None) -> Station | None:
    if station is None or not station.active:
        return None
    stamp = now()
    last = station.last_seen_at
    if last is None or dt.datetime.fromisoformat(stamp) - dt.datetime.fromisoformat(last) > \
            TOUCH_EVERY:
        station_store.touch(db, station.id, stamp)
    return station


def allowed(station: Station | None, permission: str) -> bool:
    """May this station do this? The permission "station" is any paired station."""
    if station is None:
        return False
    return permission == "station" or permission in PERMISSIONS.get(station.role, ())


def revoke_station(db: Database, station_id: int) -> bool:
    """Revoke a station: its token and paired sessions stop working at once."""
    with transaction(db):
        return station_store.revoke(db, station_id, now())


def list_stations(db: Database) -> list[Station]:
    return station_store.all_stations(db)
