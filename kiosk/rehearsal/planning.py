"""Deciding a day: who comes and when, where they go, and what goes wrong at the desk.

A STRATEGIO-like day: arrivals in a rush around the opening of the reception (a logistic
curve with its own middle and spread, not the forecast's), a few late comers, no-shows,
walk-ins; the work-session rooms fill at the start of each block and a few people switch
rooms; lunch and tapas entries; early leavers and the evening's exits. At the desks: badges
scanned twice, people without their badge found by name, a wrong person checked in and
undone, a forged code, a cancelled registration, and one desk that loses the network for
a while and sends its scans later (one of them twice, as after a lost answer). All times
come from the event file's program.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict

from kiosk.event import Event
from kiosk.registrations import codes
from kiosk.rehearsal.plan import (
    DESK,
    Guest,
    Plan,
    Shape,
    Step,
    Visit,
    on_the_day,
    opening,
    stations_for,
)

DESKS_START_MIN = -15  # the desks scan from a quarter of an hour before the opening


def plan_day(guests: list[Guest], event: Event, seed: int = 1,
             shape: Shape | None = None) -> Plan:
    """The whole day for these registrations (cancelled ones only appear at the desk)."""
    shape, rng = shape or Shape(), random.Random(seed)
    builder = _Builder(event, rng, shape)
    registered = sorted((g for g in guests if g.status != "cancelled"), key=lambda g: g.id)
    for guest in registered:
        if rng.random() >= shape.show_up:
            builder.no_shows.append(guest)
        else:
            builder.visit(guest)
    builder.desk_incidents([g for g in guests if g.status == "cancelled"])
    return builder.plan()


class _Builder:
    """Collects the steps of a day; one method per kind of thing that happens."""

    def __init__(self, event: Event, rng: random.Random, shape: Shape):
        self.event, self.rng, self.shape = event, rng, shape
        self.open = opening(event)
        self.specs = stations_for(event, max(1, shape.desks))
        self.desks = [s.key for s in self.specs if s.key.startswith(DESK)]
        # The second desk loses the network for a while (when there is a second desk).
        self.outages = {self.desks[1]: tuple(self.open + dt.timedelta(minutes=m)
                                             for m in shape.outage)} \
            if shape.outage and len(self.desks) > 1 else {}
        # What must happen in order across desks (an undo, a walk-in and their room scan)
        # happens at a desk that stays online.
        self.online_desks = [d for d in self.desks if d not in self.outages]
        self.has = {s.key for s in self.specs}
        self.early_leaving, self.program_end_before_networking = self._afternoon()
        self.steps: list[Step] = []
        self.visits: dict[int, Visit] = {}
        self.no_shows: list[Guest] = []
        self.where: dict[int, str] = {}  # guest id -> where their latest planned scan was
        self.numbers = defaultdict(int)

    def scan_id(self, kind: str) -> str:
        self.numbers[kind] += 1
        return f"sim-{kind}-{self.numbers[kind]}-{self.rng.getrandbits(32):08x}"

    def add(self, at: dt.datetime, station: str, action: str, **values) -> Step:
        step = Step(at, station, action, scan_id=values.pop("scan_id", None)
                    or (self.scan_id(action) if action == "scan" else ""), **values)
        self.steps.append(step)
        return step

    def scan(self, at: dt.datetime, station: str, guest: Guest, location: str,
             expect: str | None = "checked_in") -> Step:
        if expect in ("checked_in", "checked_out"):
            self.where[guest.id] = location
        return self.add(at, station, "scan", code=guest.code, location=location,
                        guest_id=guest.id, expect=expect)

    # --- one person's day -----------------------------------------------------------------

    def _afternoon(self) -> tuple[tuple[dt.datetime, dt.datetime], dt.datetime]:
        """From the program: when early leavers go (from an hour into the last block of
        work sessions until just before the networking, or the day's last slot), and when
        the program before the networking ends."""
        program = self.event.program
        last_block = [s for s in program if s.kind == "sessions"][-1:] or program[-1:]
        networking = [s for s in program if s.kind == "networking"]
        before = [s for s in program if not networking or s.end <= networking[0].start]
        end = on_the_day(self.event, (before or program)[-1].end)
        start = on_the_day(self.event, last_block[0].start, 60)
        return (start, max(start, end - dt.timedelta(minutes=5))), end

    def arrival_time(self) -> dt.datetime:
        """The rush: a logistic curve around the opening. Who comes before the desks start
        (a quarter of an hour before the opening) waits and is scanned in their first
        minutes; late comers come 45 minutes to 2.5 hours after the opening."""
        if self.rng.random() < self.shape.late_comers:
            return self.open + dt.timedelta(minutes=self.rng.uniform(45, 150))
        u = min(max(self.rng.random(), 1e-6), 1 - 1e-6)  # inverse of the logistic
        minutes = self.shape.rush_middle_min + self.shape.rush_width_min * math.log(u / (1 - u))
        if minutes < DESKS_START_MIN:
            minutes = DESKS_START_MIN + self.rng.uniform(0, 4)
        return self.open + dt.timedelta(minutes=min(minutes, 90))

    def visit(self, guest: Guest) -> None:
        arrives = self.arrival_time()
        desk = self.rng.choice(self.desks)
        self.scan(arrives, desk, guest, self._desk_location())
        leaves_early = self.rng.random() < self.shape.early_leavers
        start, end = self.early_leaving
        leave_at = start + (end - start) * self.rng.random() if leaves_early else None
        last = arrives
        # In the program's order, so the lunch comes between the blocks, not after the
        # afternoon's room entry (which emptied the rooms at 14:00 for the buffet).
        moments = [(s.start, self.session, s) for s in self.event.program
                   if s.kind == "sessions"]
        moments += [(c.start, self.meal, c) for c in self.event.catering]
        for _start, plan_moment, what in sorted(moments, key=lambda m: m[0]):
            last = plan_moment(guest, what, last, leave_at)
        self.visits[guest.id] = Visit(guest, arrives, None, leaves_early)
        self.leave(guest, last, leave_at)

    def _desk_location(self) -> str:
        return self.event.locations_of_kind("reception")[0].id

    def session(self, guest: Guest, slot, last: dt.datetime,
                leave_at: dt.datetime | None) -> dt.datetime:
        """Into the room of this block's session at its start (late comers when they
        come), now and then into another room later in the block."""
        theme = guest.sessions.get(slot.block)
        room = self.event.room_for(theme, slot.block) if theme else None
        start = on_the_day(self.event, slot.start)
        if room is None or f"room:{room.id}" not in self.has or \
                self.where.get(guest.id) == room.id:  # still in the room from the morning
            return last
        if slot.block != self.event.blocks[0].id and self.rng.random() < self.shape.skip_afternoon:
            return last
        at = max(start + dt.timedelta(minutes=self.rng.gauss(-3, 3)),
                 last + dt.timedelta(minutes=self.rng.uniform(2, 6)))
        end = on_the_day(self.event, slot.end)
        if at >= end or (leave_at and at >= leave_at):
            return last
        self.scan(at, f"room:{room.id}", guest, room.id)
        if self.rng.random() >= self.shape.room_switchers:
            return at
        others = [r for t in self.event.themes
                  if (r := self.event.room_for(t.id, slot.block)) and r.id != room.id]
        switch = at + dt.timedelta(minutes=self.rng.uniform(30, 90))
        if not others or switch >= end or (leave_at and switch >= leave_at):
            return at
        other = self.rng.choice(others)
        self.scan(switch, f"room:{other.id}", guest, other.id)
        return switch

    def meal(self, guest: Guest, moment, last: dt.datetime,
             leave_at: dt.datetime | None) -> dt.datetime:
        if not guest.meals.get(moment.id) or moment.location not in self.has:
            return last
        kind = self.event.location(moment.location).kind
        spread = self.rng.uniform(0, 25) if kind == "networking" else abs(self.rng.gauss(0, 12))
        at = max(on_the_day(self.event, moment.start, min(spread, 45)),
                 last + dt.timedelta(minutes=1))
        if leave_at and at >= leave_at:
            return last
        self.scan(at, moment.location, guest, moment.location)
        return at

    def leave(self, guest: Guest, last: dt.datetime, leave_at: dt.datetime | None) -> None:
        exits = [loc.id for loc in self.event.locations_of_kind("exit") if loc.id in self.has]
        if not exits:
            return
        if leave_at is None:
            networking = [c for c in self.event.catering
                          if self.event.location(c.location).kind == "networking"]
            stays = any(guest.meals.get(c.id) for c in networking)
            # Who stays for the networking leaves from three quarters of an hour into it;
            # the others when the program before it ends.
            evening = on_the_day(self.event, networking[0].start, 45) if stays and networking else \
                self.program_end_before_networking
            if self.rng.random() >= self.shape.exit_scanned:
                return
            leave_at = evening + dt.timedelta(minutes=self.rng.uniform(0, 60))
        leave_at = max(leave_at, last + dt.timedelta(minutes=2))
        self.scan(leave_at, exits[0], guest, exits[0], expect="checked_out")
        self.visits[guest.id].leaves = leave_at

    # --- what happens at the desks ----------------------------------------------------------

    def rush_moment(self, low: float = 0, high: float = 25) -> dt.datetime:
        return self.open + dt.timedelta(minutes=self.rng.uniform(low, high),
                                        seconds=self.rng.randrange(60))

    def desk_incidents(self, cancelled: list[Guest]) -> None:
        arrivals = sorted((s for s in self.steps if s.action == "scan"
                           and s.station.startswith(DESK)), key=lambda s: s.at)
        in_rush = [s for s in arrivals if self.open <= s.at <= self.open +
                   dt.timedelta(minutes=25) and s.station in self.online_desks]
        self.rng.shuffle(in_rush)
        self.doubles(in_rush[:self.shape.double_scans])
        self.searches(in_rush[self.shape.double_scans:][:self.shape.forgot_badge])
        self.mistakes(in_rush[self.shape.double_scans + self.shape.forgot_badge:]
                      [:self.shape.mistakes], arrivals)
        for _ in range(self.shape.forged):
            self.forged()
        for guest in cancelled[:1]:
            self.scan(self.rush_moment(5, 20), self.rng.choice(self.online_desks), guest,
                      self._desk_location(), expect="cancelled")
        for number in range(self.shape.walk_ins):
            self.walk_in(number)

    def doubles(self, arrivals: list[Step]) -> None:
        """The same badge held up twice: the second scan says 'already'."""
        for step in arrivals:
            again = step.at + dt.timedelta(seconds=self.rng.uniform(3, 20))
            self.add(again, step.station, "scan", code=step.code, location=step.location,
                     guest_id=step.guest_id, expect="already")

    def searches(self, arrivals: list[Step]) -> None:
        """No badge: found by name first (the arrival scan then uses their code)."""
        for step in arrivals:
            guest = self.visits[step.guest_id].guest
            query = (guest.last_name or guest.first_name)[:5]
            self.add(step.at - dt.timedelta(seconds=15), step.station, "search", query=query,
                     guest_id=guest.id)

    def mistakes(self, arrivals: list[Step], everyone: list[Step]) -> None:
        """The wrong person tapped in the list, then undone, just before the right one."""
        for step in arrivals:
            later = [s for s in everyone if s.at > step.at + dt.timedelta(minutes=1)]
            if not later:
                continue
            wrong = self.visits[self.rng.choice(later).guest_id].guest
            mistaken = self.scan(step.at - dt.timedelta(seconds=30), step.station, wrong,
                                 step.location)
            self.add(step.at - dt.timedelta(seconds=20), step.station, "undo",
                     undoes=mistaken.scan_id, guest_id=wrong.id, expect="undone")

    def forged(self) -> None:
        """A code that is none of ours: a valid-looking one, or a truncated one."""
        body = "".join(self.rng.choice(codes.ALPHABET) for _ in range(codes.BODY_LENGTH))
        code = body + codes.check_character(body)
        if self.rng.random() < 0.5:
            code = code[:-3]
        self.add(self.rush_moment(), self.rng.choice(self.desks), "scan", code=code,
                 location=self._desk_location(), expect="unknown")

    def walk_in(self, number: int) -> None:
        from kiosk.registrations.demo import FIRST, LAST  # fictional names, as the demo's

        theme = self.rng.choice(self.event.themes).id
        form = {"first_name": self.rng.choice(FIRST), "last_name": self.rng.choice(LAST),
                "organisation": self.rng.choice(self.event.besturen).name,
                "function": "Beleidsmedewerker",
                "sessions": {b.id: theme for b in self.event.blocks},
                "meals": {c.id: True for c in self.event.catering}}
        at = self.rush_moment(5, 40)
        ref = f"walk-in-{number + 1}"
        self.add(at, self.rng.choice(self.online_desks), "walk_in", walk_in=form, scan_id=ref,
                 expect="checked_in")
        slot = next((s for s in self.event.program if s.kind == "sessions"), None)
        room = self.event.room_for(theme, slot.block) if slot else None
        if room is not None and f"room:{room.id}" in self.has:
            self.add(max(on_the_day(self.event, slot.start, self.rng.gauss(-2, 2)),
                         at + dt.timedelta(minutes=5)),
                     f"room:{room.id}", "scan", code_of=ref, location=room.id,
                     expect="checked_in")

    def plan(self) -> Plan:
        self.steps.sort(key=lambda s: s.at)
        return Plan(self.event, self.steps, self.visits, self.no_shows, self.specs,
                    self.outages)
