"""Simulated days: who comes, when they arrive, who leaves early — with a known outcome.

Used to test the forecast against days whose final headcount we know, and as the seed of
the dress-rehearsal simulator. Arrivals follow a logistic rush around the opening of the
reception, with its own middle and spread (not the forecast's own curve: a forecast that
is only right when the day behaves exactly as it assumes is not worth much).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk import checkin
from kiosk.event import Event
from kiosk.store import attendees as attendee_store
from kiosk.store.attendees import Attendee


@dataclass(frozen=True)
class Visit:
    attendee: Attendee
    arrives: dt.datetime  # local time
    leaves: dt.datetime | None  # an exit scan before the end of the day, or None


@dataclass
class SimulatedDay:
    visits: list[Visit]
    no_shows: list[Attendee]

    def final(self, catering_id: str) -> int:
        """How many registered for a catering moment actually came (the known outcome)."""
        return sum(1 for v in self.visits if v.attendee.meals.get(catering_id))

    def staying(self, catering_id: str, moment: dt.datetime) -> int:
        return sum(1 for v in self.visits if v.attendee.meals.get(catering_id)
                   and (v.leaves is None or v.leaves > moment))


def plan_day(db: Database, event: Event, rng: random.Random, *, show_up: float = 0.88,
             rush_middle_min: float = 4.0, rush_width_min: float = 8.0,
             early_leavers: float = 0.12) -> SimulatedDay:
    """Decide, for everyone registered, whether and when they come, and when they go."""
    opening = dt.datetime.combine(event.date, event.program[0].start, tzinfo=event.tz)
    visits, no_shows = [], []
    for person in attendee_store.all_attendees(db, status="registered"):
        if rng.random() >= show_up:
            no_shows.append(person)
            continue
        u = min(max(rng.random(), 1e-6), 1 - 1e-6)  # inverse of the logistic distribution
        minutes = rush_middle_min + rush_width_min * math.log(u / (1 - u))
        arrives = opening + dt.timedelta(minutes=max(minutes, -45))
        leaves = None
        if rng.random() < early_leavers:
            leaves = dt.datetime.combine(event.date, dt.time(15, 0), tzinfo=event.tz) + \
                dt.timedelta(minutes=rng.uniform(0, 85))
        visits.append(Visit(person, arrives, leaves))
    return SimulatedDay(visits, no_shows)


def play_until(db: Database, event: Event, day: SimulatedDay, until: dt.datetime) -> int:
    """Scan everyone's arrival (and early exit) that happens before `until`; returns the
    number of scans recorded. Re-playing to a later moment adds only what is new."""
    desk = event.locations_of_kind("reception")[0].id
    exit_ = event.locations_of_kind("exit")[0].id
    moves = [(v.arrives, v.attendee, desk, "in") for v in day.visits] + \
        [(v.leaves, v.attendee, exit_, "out") for v in day.visits if v.leaves]
    done = 0
    for moment, person, location, direction in sorted(moves, key=lambda m: m[0]):
        if moment > until:
            break
        scan_id = f"sim-{person.id}-{direction}"
        result = checkin.scan(db, event, checkin.Scan(person.badge_code, location, scan_id,
                                                      direction),
                              at=moment.astimezone(dt.UTC).isoformat(timespec="milliseconds"))
        done += result.changed
    return done
