"""A simulated day played in-process, the way the simulator plays it against a server.

`kiosk.rehearsal.plan.play_until` plays only the plan's scans; the report also counts per
station, offline scans, walk-ins and undos. So here every step goes through the same
services the API calls (`scans.scan`, `scans.undo`, `register_walk_in`), each at its
planned time on a frozen clock, by the plan's own stations; a desk in its outage keeps
its scans and sends them when the network is back, with the time they were made, as a
tablet's outbox does. No server, no threads: a whole day takes a few seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kiosk.checkin import auth, scans
from kiosk.checkin.walkin import register_walk_in
from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.registrations.demo import demo_csv
from kiosk.registrations.importer import import_registrations
from kiosk.rehearsal.plan import Guest, Plan, Shape, Step
from kiosk.rehearsal.planning import plan_day
from kiosk.store import attendees


@dataclass
class Played:
    plan: Plan
    stations: dict[str, int]  # the plan's station key -> its station id
    codes: dict[str, str] = field(default_factory=dict)  # walk-in reference -> badge code
    offline_sent: int = 0


def demo_plan(db, event: Event, seed: int = 1, **shape) -> Plan:
    """The demo's registrations imported, and a day planned for them."""
    import_registrations(db, event, demo_csv(event), "demo.csv")
    guests = [Guest.of(a) for a in attendees.all_attendees(db)]
    return plan_day(guests, event, seed, Shape(**shape))


def play_day(db, event: Event, plan: Plan, until: dt.datetime | None = None) -> Played:
    """Play every step of the plan (up to `until`) in-process."""
    played = Played(plan, {spec.key: auth.create_station(db, event, spec.role, spec.name,
                                                         spec.location)[0].id
                           for spec in plan.stations})
    outbox: list[tuple[dt.datetime, Step]] = []
    for step in plan.steps:
        if until is not None and step.at > until:
            break
        _flush(db, event, played, outbox, step.at)
        outage = plan.outages.get(step.station)
        if outage and outage[0] <= step.at < outage[1] and step.action in ("scan", "undo"):
            outbox.append((outage[1], step))
            continue
        _do(db, event, played, step, step.at)
    _flush(db, event, played, outbox, until or dt.datetime.max.replace(tzinfo=dt.UTC))
    return played


def _flush(db, event, played: Played, outbox: list, now: dt.datetime) -> None:
    """Send what waited on a desk whose network is back, oldest first."""
    while outbox and outbox[0][0] <= now:
        back, step = outbox.pop(0)
        _do(db, event, played, step, back, made=step.at)
        played.offline_sent += 1


def _do(db, event: Event, played: Played, step: Step, at: dt.datetime,
        made: dt.datetime | None = None) -> None:
    clock = EventClock.frozen(at)
    station = played.stations[step.station]
    if step.action == "scan":
        code = step.code or played.codes.get(step.code_of)
        if code is None:
            return
        scans.scan(db, event, scans.Scan(code, step.location, step.scan_id,
                                         client_time=made.isoformat() if made else None,
                                         station_id=station), clock)
    elif step.action == "undo":
        scans.undo(db, step.undoes, clock, station)
    elif step.action == "walk_in":
        location = next(s.location for s in played.plan.stations if s.key == step.station)
        person, _result = register_walk_in(db, event, step.walk_in, location, clock, station)
        played.codes[step.scan_id] = person.badge_code
