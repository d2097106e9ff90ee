"""What a badge shows, as plain values: the printing code never reads the store's rows.

The web face and the commands turn a registration into a `BadgeFace` (`face_of`); badges,
sheets and the paper list draw from it. Only what is printed is in it, plus the two
numbers a print run needs: whose badge it is and which version of it was printed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.event import Event, Theme


@dataclass(frozen=True)
class BadgeFace:
    first_name: str
    last_name: str
    organisation: str  # the bestuur as the event file names it, else as registered
    function: str = ""
    sessions: Mapping[str, str] = field(default_factory=dict)  # block id -> theme id
    code: str = ""  # exactly what the QR code holds
    diet_marker: bool = False  # registered a dietary need: the badge says no more
    key: int = 0  # whose badge (the attendee's id): file names, print runs
    version: int = 1  # which version of it (a change to what it shows makes a new one)


def face_of(person) -> BadgeFace:
    """The face of anything shaped like a registration (the store's Attendee)."""
    return BadgeFace(person.first_name, person.last_name,
                     person.bestuur or person.organisation, person.function,
                     dict(person.sessions), person.badge_code, bool(person.diets),
                     person.id or 0, person.badge_version)


def first_theme(event: Event, face: BadgeFace) -> tuple[int, Theme] | None:
    """The theme of the first block (the morning): it colours the band."""
    return session_theme(event, face, event.blocks[0].id) if event.blocks else None


def session_theme(event: Event, face: BadgeFace, block_id: str) -> tuple[int, Theme] | None:
    """(number, theme) chosen for a block; the number is the theme's place in the event
    file. None when nothing (known) was chosen."""
    theme_id = face.sessions.get(block_id)
    for number, theme in enumerate(event.themes, start=1):
        if theme.id == theme_id:
            return number, theme
    return None
