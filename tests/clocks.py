"""Pinned clocks for tests: a moment of STRATEGIO's day, never the wall clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from kiosk.clock import EventClock

DAY = dt.date(2023, 5, 23)
TZ = ZoneInfo("Europe/Brussels")
MORNING = "09:20"  # the moment the tests run at unless they say otherwise


def at(hhmm: str) -> dt.datetime:
    """That local time on the event day."""
    return dt.datetime.combine(DAY, dt.time.fromisoformat(hhmm), tzinfo=TZ)


def pinned(hhmm: str = MORNING) -> EventClock:
    """A rehearsal clock standing still at that time on the event day."""
    return EventClock.frozen(at(hhmm))
