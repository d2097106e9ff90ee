"""A day planned ahead, as plain data: the guests, the steps each station takes, the
outcome known in advance.

`kiosk.rehearsal.planning.plan_day` decides it ( from the registration list, the event
file and a seed; the same seed gives the same day); the dress-rehearsal simulator plays it
through the real HTTP API (kiosk.rehearsal.simulator), the forecast's tests play it
in-process (`play_until`). Its outcome is known in advance (`Plan.final`), which is what a
forecast is judged by.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kiosk.event import Event

DESK = "desk"  # station keys: desk-1…, room:<location>, and the location id of the others
STATION_PREFIX = "simulator · "  # the simulator's stations are named so (and found so)


@dataclass(frozen=True)
class Guest:
    """What the plan needs of one registration."""

    id: int
    code: str
    first_name: str
    last_name: str
    status: str
    sessions: dict[str, str]
    meals: dict[str, bool]

    @classmethod
    def of(cls, person) -> Guest:
        """From the store's Attendee (or anything with the same attributes)."""
        return cls(person.id, person.badge_code, person.first_name, person.last_name,
                   person.status, dict(person.sessions), dict(person.meals))


@dataclass(frozen=True)
class Shape:
    """How the day goes. The defaults are a plausible STRATEGIO."""

    show_up: float = 0.88
    rush_middle_min: float = 4.0  # minutes after the reception opens
    rush_width_min: float = 8.0
    late_comers: float = 0.04  # arrive 45 to 150 minutes after the opening
    early_leavers: float = 0.12  # leave between 15:00 and the tapas
    room_switchers: float = 0.05  # change rooms during a block
    skip_afternoon: float = 0.03
    exit_scanned: float = 0.6  # of those leaving in the evening, how many scan at the exit
    walk_ins: int = 4
    forgot_badge: int = 6
    double_scans: int = 5
    mistakes: int = 2
    forged: int = 3
    desks: int = 3
    outage: tuple[float, float] | None = (3.0, 10.0)  # desk 2 offline, minutes after opening


@dataclass(frozen=True)
class StationSpec:
    key: str
    role: str
    location: str
    name: str


@dataclass(frozen=True)
class Step:
    """One thing a station does at an event time."""

    at: dt.datetime
    station: str
    action: str  # "scan", "undo", "search", "walk_in"
    scan_id: str = ""
    code: str | None = None
    code_of: str | None = None  # a walk-in's reference: their code is known once registered
    location: str | None = None
    guest_id: int | None = None
    undoes: str | None = None  # the scan_id an undo takes back
    query: str | None = None
    walk_in: dict | None = None
    expect: str | None = None  # the answer the plan expects (None: not planned exactly)


@dataclass
class Visit:
    guest: Guest
    arrives: dt.datetime
    leaves: dt.datetime | None  # an exit scan, or None (still there, or left unscanned)
    left_early: bool = False


@dataclass
class Plan:
    event: Event
    steps: list[Step]
    visits: dict[int, Visit]
    no_shows: list[Guest]
    stations: list[StationSpec]
    outages: dict[str, tuple[dt.datetime, dt.datetime]] = field(default_factory=dict)

    @property
    def start(self) -> dt.datetime:
        return self.steps[0].at if self.steps else opening(self.event)

    @property
    def end(self) -> dt.datetime:
        return self.steps[-1].at if self.steps else opening(self.event)

    def final(self, catering_id: str) -> int:
        """How many registered for a catering moment actually came: the known outcome."""
        return sum(1 for v in self.visits.values() if v.guest.meals.get(catering_id))

    def staying(self, catering_id: str, moment: dt.datetime) -> int:
        """Of those, how many are still there at `moment` (early leavers gone)."""
        return sum(1 for v in self.visits.values() if v.guest.meals.get(catering_id)
                   and not (v.left_early and v.leaves and v.leaves <= moment))

    def steps_of(self, station: str) -> list[Step]:
        return [s for s in self.steps if s.station == station]


def opening(event: Event) -> dt.datetime:
    """When the reception opens (the first reception slot, else the first slot)."""
    slot = next((s for s in event.program if s.kind == "reception"), event.program[0])
    return on_the_day(event, slot.start)


def on_the_day(event: Event, moment: dt.time, minutes: float = 0.0) -> dt.datetime:
    return dt.datetime.combine(event.date, moment, tzinfo=event.tz) + \
        dt.timedelta(minutes=minutes)


def stations_for(event: Event, desks: int) -> list[StationSpec]:
    """The simulator's stations: desks at the reception, a host at every work-session
    room's door, and one at each meal, networking and exit location."""
    desk_at = event.locations_of_kind("reception")[0].id
    result = [StationSpec(f"{DESK}-{n}", "reception", desk_at, f"{STATION_PREFIX}Onthaal {n}")
              for n in range(1, desks + 1)]
    result += [StationSpec(f"room:{loc.id}", "host", loc.id, f"{STATION_PREFIX}{loc.name}")
               for loc in event.locations_of_kind("session")]
    result += [StationSpec(loc.id, "reception", loc.id, f"{STATION_PREFIX}{loc.name}")
               for loc in event.locations_of_kind("meal", "networking", "exit")]
    return result


def play_until(db, event: Event, plan: Plan, until: dt.datetime) -> int:
    """Play the plan's scans up to `until` in-process, each on a clock frozen at its
    planned time (tests of the forecast). Re-playing to a later moment adds only what is
    new (the scan_ids are the plan's). Returns how many movements were recorded."""
    from kiosk.checkin import scans
    from kiosk.clock import EventClock

    done = 0
    for step in plan.steps:
        if step.at > until:
            break
        if step.action != "scan" or step.code is None:
            continue
        result = scans.scan(db, event, scans.Scan(step.code, step.location, step.scan_id),
                              EventClock.frozen(step.at))
        done += result.changed
    return done
