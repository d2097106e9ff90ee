"""The dress-rehearsal simulator: a planned day (kiosk.rehearsal.plan) played through the
real API.

It signs in with an organiser token, pairs stations of its own (named "simulator · …":
reception desks, a host at every room's door, the buffet, the tapas, the exit), and plays
each station's steps in a thread of its own when the server's event clock reaches them:
scans, undos, name searches, walk-ins. The desk that loses the network keeps its scans and
sends them when it is back, oldest first, one of them twice (a lost answer), exactly as a
tablet's outbox does. Its stations are revoked when it is done, also after Ctrl-C.

It refuses a server on the real clock: a simulated day there would check real people in.
Steps whose time has already passed on the server's clock are played at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from kiosk.event import Event
from kiosk.rehearsal.client import (
    Api,
    ServerClock,
    SimulationError,
    guests_of,
    prepare,
    start_clock,
)
from kiosk.rehearsal.plan import Plan, Shape, stations_for
from kiosk.rehearsal.planning import plan_day
from kiosk.rehearsal.players import play
from kiosk.rehearsal.report import Report

CATCH_UP_NOTICE = dt.timedelta(minutes=1)  # a server ahead of the plan by more: say so
__all__ = ["Options", "Report", "SimulationError", "run", "run_loop"]


@dataclass
class Options:
    seed: int = 1
    speed: float | None = None  # None: as fast as the server's clock already runs
    desks: int = 3
    until: dt.datetime | None = None
    progress: Callable[[str], None] = lambda line: None
    stop: threading.Event = field(default_factory=threading.Event)


def run(url: str, token: str, event: Event, options: Options | None = None) -> Report:
    """Plan the day for the server's registration list and play it; the report."""
    options = options or Options()
    admin = Api(url, token)
    clock = prepare(admin, event, options.speed)
    try:
        with paired(admin, event, options.desks) as stations:
            return play_day(url, admin, event, clock, stations, options)
    finally:
        _give_back_speed(admin, clock, options)


def _give_back_speed(admin: Api, clock: ServerClock, options: Options) -> None:
    """A run at --speed leaves the server's clock running as fast as it found it."""
    if options.speed is not None and options.speed != clock.found_speed:
        admin.call("PUT", "/api/clock", {"speed": clock.found_speed})


def run_loop(url: str, token: str, event: Event, options: Options,
             pause_s: float = 60) -> None:
    """Play the day again and again (the living demo): after each day a pause, then the
    rehearsal is wiped and the clock set back to where it started."""
    admin = Api(url, token)
    clock = prepare(admin, event, options.speed)
    start = clock.now().isoformat(timespec="seconds")
    with paired(admin, event, options.desks) as stations, \
            contextlib.ExitStack() as after:
        after.callback(_give_back_speed, admin, clock, options)
        while not options.stop.is_set():
            report = play_day(url, admin, event, clock, stations, options)
            for line in report.summary():
                options.progress(line)
            if options.stop.wait(pause_s):
                return
            admin.must("POST", "/api/rehearsal/reset")
            admin.must("PUT", "/api/clock", {"at": start})
            clock.sync()
            options = dataclasses.replace(options, seed=options.seed + 1)


def play_day(url: str, admin: Api, event: Event, clock: ServerClock,
             stations: dict[str, tuple[int, str]], options: Options) -> Report:
    """One planned day, played through the paired stations."""
    plan = plan_day(guests_of(admin), event, options.seed, Shape(desks=options.desks))
    if options.until is not None:
        plan.steps = [s for s in plan.steps if s.at <= options.until]
    if not plan.steps:
        raise SimulationError("niets te spelen: de lijst is leeg, of --until ligt vóór de dag")
    if clock.now() - plan.start > CATCH_UP_NOTICE:
        options.progress(f"De klok van de server staat al op {clock.now():%H:%M}: wat "
                         f"daarvoor gebeurt, wordt meteen gespeeld.")
    start_clock(admin, clock, options.speed)
    report = Report(started=time.monotonic(), planned_arrivals=_arrivals(plan))
    try:
        play(url, plan, stations, clock, report, options.progress, options.stop)
    except KeyboardInterrupt:
        options.stop.set()
        report.interrupted = True
    finally:
        report.ended = time.monotonic()
    status, answer, _ = admin.call("GET", "/api/headcounts")
    if status == 200 and answer:
        report.final = answer.get("totals") or {}
    return report


def _arrivals(plan: Plan) -> int:
    """Who should have arrived once the (possibly cut) plan is played: each visitor whose
    arrival is in it, and each walk-in."""
    arriving = {s.guest_id for s in plan.steps if s.action == "scan" and s.expect ==
                "checked_in" and s.station.startswith("desk") and s.guest_id in plan.visits
                and s.at >= plan.visits[s.guest_id].arrives}
    return len(arriving) + sum(1 for s in plan.steps if s.action == "walk_in")


@contextlib.contextmanager
def paired(admin: Api, event: Event, desks: int) -> Iterator[dict[str, tuple[int, str]]]:
    """The simulator's own stations, key -> (id, token); revoked afterwards, whatever
    happens."""
    stations: dict[str, tuple[int, str]] = {}
    try:
        for spec in stations_for(event, max(1, desks)):
            answer = admin.must("POST", "/api/stations", {
                "role": spec.role, "name": spec.name, "location": spec.location})
            stations[spec.key] = (answer["id"], answer["token"])
        yield stations
    finally:
        for station_id, _token in stations.values():
            admin.call("POST", f"/api/stations/{station_id}/revoke")
