"""Stations and roles: who may do what, and the secret tokens that pair a device.

A station is a device (tablet, laptop, kitchen screen) paired to a role and a location.
Its token is shown once, at creation; only its SHA-256 is stored, so a copied database
does not hand out working tokens. Every page, API route and socket asks `allowed()`.

A `kiosk` is a tablet on a stand where guests check themselves in: it may do nothing but
that, and staff leave kiosk mode with the station's PIN (4 to 8 digits, stored salted
with scrypt; five wrong tries lock it for a minute). Station settings say which printer a
station prints on and whether it prints a badge for everyone it checks in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import replace

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.store import now, transaction
from kiosk.store import printing as printing_store
from kiosk.store import stations as station_store
from kiosk.store.stations import Settings, Station

ROLES = ("reception", "host", "caterer", "organiser", "kiosk")
# What each role may do. Caterers only look; hosts scan at and see their room; a kiosk
# only lets guests check themselves in (no name list, no e-mail, no codes).
PERMISSIONS: dict[str, frozenset[str]] = {
    "reception": frozenset({"scan", "search", "walk_in", "badge", "undo", "view_counts",
                            "print"}),
    "host": frozenset({"scan", "search", "view_counts", "view_room"}),
    "caterer": frozenset({"view_catering"}),
    "organiser": frozenset({"scan", "search", "walk_in", "badge", "undo", "view_counts",
                            "view_room", "view_catering", "view_all", "manage", "print"}),
    "kiosk": frozenset({"self_checkin"}),
}
PIN = re.compile(r"^[0-9]{4,8}$")
PIN_TRIES = 5  # wrong PINs in a row before the kiosk waits
PIN_LOCK = dt.timedelta(minutes=1)
TOKEN_BYTES = 32
TOUCH_EVERY = dt.timedelta(seconds=20)  # last contact is recorded, but not on every request


class StationError(ValueError):
    """A station cannot be created as asked (unknown role or location). `option` names the
    command-line option that fixes it: the command line adds it, a web form does not."""

    def __init__(self, message: str, option: str | None = None):
        super().__init__(message)
        self.option = option


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def default_location(role: str, event: Event) -> str | None:
    """Where a station stands when nobody says: reception (and a kiosk) at the first
    reception desk."""
    if role in ("reception", "kiosk"):
        desks = event.locations_of_kind("reception")
        return desks[0].id if desks else None
    return None


def create_station(db: Database, event: Event, role: str, name: str,
                   location: str | None = None, pin: str | None = None,
                   ) -> tuple[Station, str]:
    """Create a station; returns it with its secret token (shown once, never stored). A
    kiosk needs a PIN: without one, nobody could take the tablet out of kiosk mode."""
    if role == "kiosk" and pin is None:
        raise StationError("een kiosk heeft een pincode nodig (4 tot 8 cijfers): daarmee "
                           "haalt het personeel de tablet uit de kioskmodus")
    if pin is not None and not PIN.match(pin):
        raise StationError("de pincode is 4 tot 8 cijfers")
    if role not in ROLES:
        raise StationError(f"onbekende rol {role!r}; kies uit {', '.join(ROLES)}")
    if not name.strip():
        raise StationError("geef de post een naam")
    location = location or default_location(role, event)
    if location is not None and not event.has_location(location):
        known = ", ".join(loc.id for loc in event.locations)
        raise StationError(f"onbekende locatie {location!r}; kies uit {known}")
    if role == "host" and location is None:
        raise StationError("een zaalverantwoordelijke hoort bij een zaal: kies een zaal als "
                           "plaats", option="--location")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction(db):
        station = station_store.insert(db, name.strip(), role, location, hash_token(token), now())
        if pin is not None:
            station_store.save_settings(db, Settings(station.id, pin_hash=hash_pin(pin)))
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


# --- station settings: the printer, print on arrival, the kiosk's PIN ----------------------


def settings(db: Database, station_id: int) -> Settings:
    return station_store.settings(db, station_id)


def configure(db: Database, station_id: int, *, printer_id: int | None | bool = False,
              print_on_arrival: bool | None = None, pin: str | None = None) -> Settings:
    """Change what is given (printer_id=None takes the printer away; False leaves it)."""
    if pin is not None and not PIN.match(pin):
        raise StationError("de pincode is 4 tot 8 cijfers")
    with transaction(db):
        if station_store.get(db, station_id) is None:
            raise StationError(f"geen post met nummer {station_id}")
        value = station_store.settings(db, station_id)
        if printer_id is not False:
            if printer_id is not None and printing_store.get_printer(db, printer_id) is None:
                raise StationError(f"geen printer met nummer {printer_id}")
            value = replace(value, printer_id=printer_id)
        if print_on_arrival is not None:
            value = replace(value, print_on_arrival=bool(print_on_arrival))
        if pin is not None:
            value = replace(value, pin_hash=hash_pin(pin), pin_failures=0,
                            pin_locked_until=None)
        station_store.save_settings(db, value)
    return value


def hash_pin(pin: str) -> str:
    """'scrypt$salt$hash' (hex): a salted, deliberately slow hash, so a copied database
    does not give the PIN away for the asking."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2 ** 14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def _pin_matches(pin: str, stored: str) -> bool:
    kind, salt, digest = stored.split("$")
    found = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=2 ** 14, r=8, p=1)
    return kind == "scrypt" and hmac.compare_digest(found.hex(), digest)


def check_pin(db: Database, station_id: int, pin: str) -> str:
    """'ok', 'wrong', 'locked' (too many wrong tries: wait a minute) or 'no_pin'."""
    with transaction(db):
        value = station_store.settings(db, station_id)
        if not value.pin_hash:
            return "no_pin"
        stamp = now()
        if value.pin_locked_until and value.pin_locked_until > stamp:
            return "locked"
        if isinstance(pin, str) and len(pin) <= 16 and _pin_matches(pin, value.pin_hash):
            station_store.save_settings(db, replace(value, pin_failures=0,
                                                    pin_locked_until=None))
            return "ok"
        failures = value.pin_failures + 1
        locked = None
        if failures >= PIN_TRIES:
            failures = 0
            locked = (dt.datetime.fromisoformat(stamp) + PIN_LOCK).isoformat(
                timespec="milliseconds")
        station_store.save_settings(db, replace(value, pin_failures=failures,
                                                pin_locked_until=locked))
        return "wrong" if locked is None else "locked"
