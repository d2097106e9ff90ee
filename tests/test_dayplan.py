"""The planned day (kiosk.rehearsal.plan): plain data from the list, the event file and a seed.

What the simulator plays and the forecast's tests are judged by, so the plan itself has
to be a believable day: everyone's steps follow the program, nobody is in a room before
they arrived, the incidents at the desk are the ones the Shape asks for, and the outcome
(`Plan.final`) is who came.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict

import pytest

from kiosk.event import load_event
from kiosk.registrations.demo import demo_csv
from kiosk.registrations.importer import import_registrations
from kiosk.rehearsal.plan import DESK, STATION_PREFIX, Guest, Shape, opening, stations_for
from kiosk.rehearsal.planning import plan_day
from kiosk.store import attendees, connect
from tests.clocks import at

SEEDS = [1, 2, 7]


@pytest.fixture(scope="module")
def event():
    return load_event()


@pytest.fixture(scope="module")
def guests(tmp_path_factory, event) -> list[Guest]:
    """The demo's 222 registrations, with the badge codes the import gave them."""
    db = connect(tmp_path_factory.mktemp("dayplan") / "demo.db")
    try:
        import_registrations(db, event, demo_csv(event), "demo.csv")
        return [Guest.of(person) for person in attendees.all_attendees(db)]
    finally:
        db.close()


def arrivals_and_moves(plan) -> dict[int, list]:
    """guest id -> their scans that move them (not the doubles, not the mistaken one that
    was undone), in time order."""
    undone = {s.undoes for s in plan.steps if s.action == "undo"}
    moves = defaultdict(list)
    for step in plan.steps:
        if step.action == "scan" and step.guest_id is not None and step.scan_id not in undone \
                and step.expect in ("checked_in", "checked_out"):
            moves[step.guest_id].append(step)
    return moves


def program_rank(event, step) -> int:
    """Where a scan belongs in the day: desk, morning room, lunch, afternoon room, tapas,
    exit."""
    kind = event.location(step.location).kind
    if kind == "session":
        return 1 if step.at < at("12:30") else 3
    return {"reception": 0, "meal": 2, "networking": 4, "exit": 5}[kind]


@pytest.mark.parametrize("seed", SEEDS)
def test_everyones_day_follows_the_program_and_starts_at_the_desk(guests, event, seed):
    """Each visitor arrives at the desk first, then goes through the rooms, the lunch,
    the tapas and the exit in the program's order; nobody is in a room before arriving."""
    plan = plan_day(guests, event, seed)
    moves = arrivals_and_moves(plan)
    assert [s.at for s in plan.steps] == sorted(s.at for s in plan.steps)
    for guest_id, visit in plan.visits.items():
        day = moves[guest_id]
        assert day[0].station.startswith(DESK) and day[0].at == visit.arrives, visit.guest
        assert [s.at for s in day] == sorted(s.at for s in day)
        ranks = [program_rank(event, s) for s in day]
        assert ranks == sorted(ranks) and ranks.count(0) == 1, (visit.guest, ranks)
        assert all(s.at > visit.arrives for s in day[1:])
        if visit.leaves is not None:
            assert day[-1].location == "uitgang" and day[-1].at == visit.leaves
            assert day[-1].expect == "checked_out"


@pytest.mark.parametrize("seed", SEEDS)
def test_who_comes_and_who_does_not(guests, event, seed):
    """Every registration either comes (one visit) or is a no-show with no step at all;
    most come, as the Shape's show-up rate says."""
    plan = plan_day(guests, event, seed)
    no_shows = {g.id for g in plan.no_shows}
    assert set(plan.visits) | no_shows == {g.id for g in guests}
    assert not set(plan.visits) & no_shows
    assert not [s for s in plan.steps if s.guest_id in no_shows]
    assert 0.8 < len(plan.visits) / len(guests) < 0.95  # show_up = 0.88


@pytest.mark.parametrize("seed", SEEDS)
def test_the_outage_desk_has_scans_inside_its_outage(guests, event, seed):
    """Desk 2 loses the network from 3 to 10 minutes after the opening and scans during
    it; what has to happen in order (undos, walk-ins, doubles, searches) happens at the
    desks that stay online."""
    plan = plan_day(guests, event, seed)
    start, end = opening(event) + dt.timedelta(minutes=3), opening(event) + dt.timedelta(
        minutes=10)
    assert plan.outages == {"desk-2": (start, end)}
    inside = [s for s in plan.steps_of("desk-2") if start <= s.at < end and s.action == "scan"]
    assert len(inside) >= 3
    assert not [s for s in plan.steps_of("desk-2")
                if s.action in ("undo", "walk_in", "search") or s.expect == "already"]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_incidents_are_the_ones_the_shape_asks_for(guests, event, seed):
    """Doubles answered `already`, forged codes `unknown`, walk-ins with a room scan of
    their own, name searches, and every mistake undone at once at the same desk."""
    shape = Shape()
    plan = plan_day(guests, event, seed, shape)
    expected = Counter(s.expect for s in plan.steps if s.action == "scan")
    assert expected["already"] == shape.double_scans
    assert expected["unknown"] == shape.forged
    assert expected["cancelled"] == 0  # nobody on the demo list cancelled
    assert len([s for s in plan.steps if s.action == "search"]) == shape.forgot_badge
    walk_ins = [s for s in plan.steps if s.action == "walk_in"]
    assert len(walk_ins) == shape.walk_ins
    for walk_in in walk_ins:
        room = [s for s in plan.steps if s.code_of == walk_in.scan_id]
        assert len(room) == 1 and room[0].at >= walk_in.at + dt.timedelta(minutes=5)
    undos = [s for s in plan.steps if s.action == "undo"]
    assert len(undos) == shape.mistakes
    by_id = {s.scan_id: s for s in plan.steps if s.scan_id}
    for undo in undos:
        mistaken = by_id[undo.undoes]
        assert mistaken.station == undo.station and mistaken.guest_id == undo.guest_id
        assert undo.at - mistaken.at == dt.timedelta(seconds=10) and undo.expect == "undone"
        real = plan.visits[undo.guest_id].arrives  # the one tapped by mistake comes later
        assert real > undo.at + dt.timedelta(seconds=30)


def test_another_shape_gives_other_incidents(guests, event):
    """The Shape decides: one desk (so no outage), two doubles, one forged code, no
    walk-ins, three mistakes; a cancelled registration shows up once at the desk."""
    shape = Shape(desks=1, double_scans=2, forged=1, walk_ins=0, mistakes=3, forgot_badge=0)
    listed = [dataclasses.replace(g, status="cancelled") if i == 0 else g
              for i, g in enumerate(guests)]
    plan = plan_day(listed, event, 3, shape)
    assert plan.outages == {}
    assert {s.station for s in plan.steps if s.station.startswith(DESK)} == {"desk-1"}
    expected = Counter(s.expect for s in plan.steps if s.action == "scan")
    assert (expected["already"], expected["unknown"], expected["cancelled"]) == (2, 1, 1)
    assert Counter(s.action for s in plan.steps)["undo"] == 3
    assert not [s for s in plan.steps if s.action in ("walk_in", "search")]
    assert listed[0].id not in plan.visits
    assert [s.guest_id for s in plan.steps if s.expect == "cancelled"] == [listed[0].id]


@pytest.mark.parametrize("seed", SEEDS)
def test_final_is_who_came_and_registered_for_the_meal(guests, event, seed):
    """Plan.final('lunch') is the known outcome: the registrations for lunch that came
    (their arrival is in the plan), walk-ins not included; everyone scanned at the
    buffet is one of them."""
    plan = plan_day(guests, event, seed)
    came = {guest_id for guest_id, day in arrivals_and_moves(plan).items()
            if day[0].station.startswith(DESK)}
    by_id = {g.id: g for g in guests}
    for meal in ("lunch", "tapas"):
        registered = {g for g in came if by_id[g].meals.get(meal)}
        assert plan.final(meal) == len(registered) > 0
        scanned = {s.guest_id for s in plan.steps if s.location == meal}
        assert scanned <= registered
    assert plan.staying("lunch", at("12:30")) == plan.final("lunch")  # nobody left yet
    assert plan.staying("tapas", at("18:00")) < plan.final("tapas")  # early leavers gone


def test_the_stations_are_the_simulators_own(event):
    """Desks at the reception, a host at every work-session room, one at the buffet, the
    tapas and the exit; all named so `reset --rehearsal` finds them."""
    specs = stations_for(event, 3)
    keys = [s.key for s in specs]
    assert keys[:3] == ["desk-1", "desk-2", "desk-3"]
    assert {s.location for s in specs if s.role == "host"} == \
        {loc.id for loc in event.locations_of_kind("session")}
    assert {"lunch", "tapas", "uitgang"} <= set(keys)
    assert all(s.name.startswith(STATION_PREFIX) for s in specs)
