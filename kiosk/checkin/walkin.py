"""Walk-ins: somebody who did not register, registered and checked in at the desk."""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from sqlite_utils import Database

from kiosk.checkin import scans
from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.registrations import codes
from kiosk.registrations.reading import EMAIL, diet_categories, no_diet
from kiosk.store import attendees as attendee_store
from kiosk.store import movements, now, transaction
from kiosk.store.attendees import Attendee
from kiosk.text import clean, has_controls

MAX_TEXT = 120


class WalkInError(ValueError):
    """The form is not usable; `field` says which input to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _text(form: dict[str, Any], key: str, limit: int = MAX_TEXT) -> str:
    value = form.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise WalkInError(key, "moet tekst zijn")
    if has_controls(value):  # as edits.py: refused, never stored
        raise WalkInError(key, "bevat onzichtbare stuurtekens: typ de tekst opnieuw")
    value = clean(value)
    if len(value) > limit:
        raise WalkInError(key, f"te lang (hoogstens {limit} tekens)")
    return value


def build_attendee(db: Database, event: Event, form: dict[str, Any]) -> Attendee:
    """Validate the walk-in form into a new attendee (not yet stored)."""
    first, last = _text(form, "first_name"), _text(form, "last_name")
    if not (first or last):
        raise WalkInError("first_name", "geef een naam")
    email = _text(form, "email", 254).lower()
    if email and not EMAIL.match(email):
        raise WalkInError("email", "ongeldig e-mailadres")
    if email and attendee_store.get_by_email(db, email):
        raise WalkInError("email", "dit e-mailadres is al ingeschreven: zoek de persoon op naam")
    organisation = _text(form, "organisation")
    sessions = form.get("sessions") or {}
    if not isinstance(sessions, dict):
        raise WalkInError("sessions", "ongeldige werksessies")
    for block_id, theme_id in sessions.items():
        if not isinstance(theme_id, str):  # {"voormiddag": ["a", "b"]}: one theme per block
            raise WalkInError("sessions", f"ongeldige werksessie voor {block_id[:40]}")
        if block_id not in {b.id for b in event.blocks} or \
                theme_id not in {t.id for t in event.themes}:
            raise WalkInError("sessions", f"onbekende werksessie {block_id}={theme_id}")
    meals = form.get("meals") or {}
    if not isinstance(meals, dict) or not all(isinstance(v, bool) for v in meals.values()):
        raise WalkInError("meals", "ongeldige maaltijdkeuze")
    diet = _text(form, "diet")
    diet = "" if no_diet(diet) else diet
    return Attendee(
        # The e-mail is the registration key; a walk-in without one gets a reserved address.
        email=email or f"ter-plaatse-{secrets.token_hex(6)}@walk-in.invalid",
        first_name=first, last_name=last, function=_text(form, "function"),
        organisation=event.match_bestuur(organisation) or organisation,
        bestuur=event.match_bestuur(organisation), sessions=dict(sessions),
        meals={c.id: bool(meals.get(c.id, True)) for c in event.catering},
        diet=diet, diets=diet_categories(diet, event), status="walk-in")


def _client_fields(form: dict[str, Any]) -> tuple[str | None, str | None, bool]:
    """The walk-in's id made by the station (`scan_id`: a retry of the same walk-in is the
    same walk-in), when it was made, and whether it comes late from the outbox."""
    scan_id, client_time, offline = (form.get("scan_id"), form.get("client_time"),
                                     form.get("offline", False))
    if scan_id is not None and (not isinstance(scan_id, str) or not 1 <= len(scan_id) <= 100):
        raise WalkInError("scan_id", "scan_id is een tekst van hoogstens 100 tekens")
    if client_time is not None and (not isinstance(client_time, str) or len(client_time) > 40):
        raise WalkInError("client_time", "client_time is een tijdstip (ISO 8601)")
    if not isinstance(offline, bool):
        raise WalkInError("offline", "offline is true of false")
    return scan_id, client_time, offline


def register_walk_in(db: Database, event: Event, form: dict[str, Any], location: str,
                     clock: EventClock, station_id: int | None = None,
                     ) -> tuple[Attendee, scans.ScanResult]:
    """Store the walk-in and check them in at `location`, in one transaction. A walk-in
    registered on a rehearsal clock is part of the rehearsal (and wiped with it). The same
    `scan_id` from the same station again (a walk-in made offline, sent twice) registers
    nobody new: it answers with the person registered the first time."""
    scan_id, client_time, offline = _client_fields(form)
    with transaction(db):
        prior = movements.by_scan_id(db, scan_id, station_id) if scan_id else None
        if prior is not None:
            person = attendee_store.get(db, prior.attendee_id)
            return person, scans.scan(db, event, scans.Scan(
                person.badge_code, prior.location, scan_id, station_id=station_id), clock)
        return _register(db, event, form, location, clock,
                         scans.Scan("", location, scan_id, None, client_time, station_id,
                                    offline))


def _register(db: Database, event: Event, form: dict[str, Any], location: str,
              clock: EventClock, checkin: scans.Scan) -> tuple[Attendee, scans.ScanResult]:
    attendee = build_attendee(db, event, form)
    attendee.rehearsal = int(clock.rehearsal)
    with transaction(db):
        attendee.badge_code = codes.new_code()
        while attendee_store.get_by_code(db, attendee.badge_code):  # never twice
            attendee.badge_code = codes.new_code()
        attendee.created_at = attendee.updated_at = now()
        attendee_store.insert(db, attendee)
        result = scans.scan(db, event, replace(checkin, code=attendee.badge_code), clock)
    return attendee, result
