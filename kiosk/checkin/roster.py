"""A station's local roster: what it needs to answer a scan by itself when the network is
gone, sent as a delta since the version it already has.

A badge code never leaves the server in the roster: each entry carries SHA-256 of a salt
and the code instead, and the station hashes what it scans the same way. A reception
station gets everyone (cancelled registrations too, so it can say "geannuleerd"); a host
station only the people with a session in its own room.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.store import roster as roster_store
from kiosk.store.attendees import Attendee
from kiosk.store.roster import RosterChange


def code_hash(salt: str, code: str) -> str:
    """What the roster stores instead of a badge code (the station computes the same)."""
    return hashlib.sha256(f"{salt}{code}".encode()).hexdigest()


@dataclass(frozen=True)
class Delta:
    version: int  # send this as `since` next time
    full: bool  # True: a whole roster (forget what you had), False: only the changes
    changes: list[tuple[RosterChange, bool]]  # (change, may this station see the person?)


def visible(person: Attendee, event: Event, role: str, location: str | None) -> bool:
    """Reception and the organiser see everyone; a host only who has a session in its room."""
    if role != "host":
        return True
    return any((room := event.room_for(theme, block)) is not None and room.id == location
               for block, theme in person.sessions.items() if theme)


def delta(db: Database, event: Event, role: str, location: str | None,
          since: int | None) -> Delta:
    """The roster changes after `since`; the whole roster when `since` is missing, 0, or
    newer than the server's own (a database that was replaced)."""
    current = roster_store.version(db)
    full = not since or since < 0 or since > current
    rows = roster_store.changes(db, 0 if full else since)
    changes = []
    for change in rows:
        seen = change.attendee is not None and visible(change.attendee, event, role, location)
        if seen or not full:  # a whole roster need not list who is not on it
            changes.append((change, seen))
    return Delta(current, full, changes)
