"""The organiser edits one registration by hand: a name fixed, a session changed, a
registration cancelled or restored.

The same rules as the import: names and texts cleaned and bounded, the bestuur matched to
the event's list, dietary needs sorted into the event's categories, and a change to what
the badge shows makes the printed badge stale (its version goes up, so "only changed"
prints it again). The e-mail address is the key a re-import matches on, so it is not
edited here; a later full import brings the file's values back.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.registrations.reading import MAX_CELL, diet_categories, no_diet
from kiosk.store import attendees as attendee_store
from kiosk.store import now, transaction
from kiosk.store.attendees import Attendee
from kiosk.text import clean

MAX_NAME = 120


class EditError(ValueError):
    """The form cannot be saved as it is; `field` says which input to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Edited:
    attendee: Attendee
    changed: bool  # anything saved at all
    badge_stale: bool  # what the badge shows changed: print it again


def _text(form: dict[str, Any], key: str, limit: int = MAX_CELL) -> str:
    value = form.get(key) or ""
    if not isinstance(value, str):
        raise EditError(key, "moet tekst zijn")
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n\r" for ch in value):
        raise EditError(key, "bevat onzichtbare stuurtekens: typ de tekst opnieuw")
    value = clean(value)
    if len(value) > limit:
        raise EditError(key, f"te lang (hoogstens {limit} tekens)")
    return value


def apply_form(person: Attendee, event: Event, form: dict[str, Any]) -> Attendee:
    """A copy of `person` with the form's values (EditError when one is not usable).

    Keys: first_name, last_name, organisation, function, diet, comments, `session:<block>`
    (a theme id, or empty for none) and `meal:<catering id>` (present and truthy: yes)."""
    first, last = _text(form, "first_name", MAX_NAME), _text(form, "last_name", MAX_NAME)
    if not (first or last):
        raise EditError("first_name", "geef een naam")
    organisation = _text(form, "organisation")
    sessions: dict[str, str] = {}
    themes = {t.id for t in event.themes}
    for block in event.blocks:
        theme = _text(form, f"session:{block.id}", 100)
        if theme and theme not in themes:
            raise EditError(f"session:{block.id}", f"onbekend thema {theme!r}")
        if theme:
            sessions[block.id] = theme
    diet = _text(form, "diet")
    diet = "" if no_diet(diet) else diet
    bestuur = event.match_bestuur(organisation) if organisation else None
    values = dict(person.__dict__)
    values.update(first_name=first, last_name=last, organisation=bestuur or organisation,
                  bestuur=bestuur, function=_text(form, "function"), sessions=sessions,
                  meals={c.id: bool(form.get(f"meal:{c.id}")) for c in event.catering},
                  diet=diet, diets=diet_categories(diet, event),
                  comments=_text(form, "comments"))
    return Attendee(**values)


def edit(db: Database, event: Event, attendee_id: int, form: dict[str, Any]) -> Edited:
    """Save the form for one attendee in one transaction."""
    with transaction(db):
        person = _get(db, attendee_id)
        new = apply_form(person, event, form)
        if new.content() == person.content():
            return Edited(person, False, False)
        stale = new.badge_content() != person.badge_content()
        if stale:
            new.badge_version += 1
        new.updated_at = now()
        attendee_store.update_many(db, [new])
    return Edited(new, True, stale)


def cancel(db: Database, attendee_id: int) -> Attendee:
    """Cancel a registration (never deleted: its check-ins and badge code stay; its badge
    scans red from now on)."""
    with transaction(db):
        person = _get(db, attendee_id)
        if person.status != "cancelled":
            person.status, person.cancelled_at = "cancelled", now()
            person.updated_at = person.cancelled_at
            attendee_store.update_many(db, [person])
    return person


def restore(db: Database, attendee_id: int) -> Attendee:
    """Undo a cancellation: registered again (a walk-in, who came from no file, becomes a
    walk-in again)."""
    with transaction(db):
        person = _get(db, attendee_id)
        if person.status == "cancelled":
            person.status = "walk-in" if person.source_row is None else "registered"
            person.cancelled_at, person.updated_at = None, now()
            attendee_store.update_many(db, [person])
    return person


def _get(db: Database, attendee_id: int) -> Attendee:
    person = attendee_store.get(db, attendee_id)
    if person is None:
        raise EditError("id", f"geen deelnemer met nummer {attendee_id}")
    return person
