"""The dress-rehearsal simulator against the real server, and what it leaves in the database.

`kiosk.rehearsal.simulator.run` plays a planned day through the HTTP API of a real server process
(gunicorn on gevent) on a rehearsal clock, with stations of its own. Afterwards the
database must hold exactly what the simulator was told it did: every acknowledged scan
once, every walk-in, the undos, and nothing else; its stations revoked. (A played day runs
the simulator in a process of its own, tests/simulating.py says why; its refusals are
asked in-process.)
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from kiosk.checkin import auth, scans
from kiosk.registrations.demo import demo_csv
from kiosk.registrations.importer import import_registrations
from kiosk.rehearsal.plan import Guest, Shape, stations_for
from kiosk.rehearsal.planning import plan_day
from kiosk.rehearsal.simulator import Options, SimulationError, run
from kiosk.store import attendees, connect, movements
from tests.clocks import at
from tests.serving import ServerProcess
from tests.simulating import simulate

UNTIL = "10:15"  # the morning: arrivals, the offline desk, walk-ins, the rooms filling


@pytest.fixture
def demo_db(db_path, event):
    """The demo's 222 registrations in the server's database, and an organiser's token."""
    db = connect(db_path)
    try:
        import_registrations(db, event, demo_csv(event), "demo.csv")
        _station, token = auth.create_station(db, event, "organiser", "Organisator")
        guests = [Guest.of(person) for person in attendees.all_attendees(db)]
    finally:
        db.close()
    return db_path, token, guests


def rehearsal_server(db_path, start: str = "2023-05-23T08:50") -> ServerProcess:
    """The production server on a rehearsal clock standing still at `start`."""
    return ServerProcess(db_path, "--clock", start, "--speed", "0").wait_ready()


def played(server: ServerProcess, token: str, **options):
    """Play the day against `server`, then stop the server; the report and its log."""
    try:
        report = simulate(server.url, token, **options)
    finally:
        log = server.stop()
    return report, log


def test_a_simulated_morning_leaves_exactly_what_the_simulator_was_told(demo_db, event):
    """08:50 to 10:15 at x900 (about six real seconds): every acknowledged scan is in the
    log once, the undos and walk-ins are there, who counts as arrived is who the plan
    says, and the simulator's stations are revoked afterwards."""
    db_path, token, guests = demo_db
    until = at(UNTIL)
    plan = plan_day(guests, event, 1, Shape(desks=3))  # what the simulator will play
    steps = [s for s in plan.steps if s.at <= until]

    report, log = played(rehearsal_server(db_path), token, seed=1, speed=900, until=until)

    assert report.errors == [] and report.unexpected == []
    assert "Traceback" not in log
    planned_scans = [s for s in steps if s.action == "scan"]
    assert report.scans == len(planned_scans)
    assert report.answers == Counter(s.expect for s in planned_scans)  # each as planned
    assert report.retries >= 1 and report.queued >= 1  # the offline desk's outbox, sent twice

    db = connect(db_path)
    try:
        rows = db.execute("SELECT scan_id, kind, direction, attendee_id, rehearsal, station_id,"
                          " client_time, recorded_at FROM movements").fetchall()
        logged = Counter(row[0] for row in rows if row[1] == "scan")
        assert set(logged) == set(report.acknowledged)  # nothing unacknowledged was written
        assert set(logged.values()) == {1}  # and nothing twice (the replayed retry included)
        for scan_id, kind, direction, *_ in rows:
            if kind == "scan":
                assert report.acknowledged[scan_id] == {"in": "checked_in",
                                                        "out": "checked_out"}[direction]
        assert all(row[4] == 1 for row in rows)  # all of it a rehearsal's

        undone = {s.undoes for s in steps if s.action == "undo"}
        undo_targets = {row[0] for row in db.execute(
            "SELECT m.scan_id FROM movements u JOIN movements m ON m.id = u.undoes"
            " WHERE u.kind = 'undo'")}
        assert undo_targets == undone and report.undos == Counter(undone=len(undone))

        assert len(report.walk_ins) == len([s for s in steps if s.action == "walk_in"]) == 4
        for walk_in_id in report.walk_ins:
            person = attendees.get(db, walk_in_id)
            assert person.status == "walk-in" and person.rehearsal == 1

        arrived = {s.guest_id for s in planned_scans if s.guest_id is not None
                   and s.scan_id in report.acknowledged and s.scan_id not in undone}
        arrived |= set(report.walk_ins)
        assert set(movements.first_checkins(db)) == arrived
        counts = scans.counts(db)
        assert counts.arrived == len(arrived) == movements.arrival_counts_from_log(db)[0]
        # The summary's last line says the same: the server's figures beside the plan's.
        assert report.final["arrived"] == report.planned_arrivals == len(arrived)
        assert counts.expected == len(guests) + 4
        doubled = db.execute(
            "SELECT attendee_id FROM movements m WHERE location = 'onthaal' AND direction = 'in'"
            " AND kind = 'scan' AND NOT EXISTS (SELECT 1 FROM movements u WHERE u.undoes = m.id)"
            " GROUP BY attendee_id HAVING count(*) > 1").fetchall()
        assert doubled == []  # nobody checked in at the desk twice

        desk_2 = db.execute("SELECT id FROM stations WHERE name = 'simulator · Onthaal 2'"
                            ).fetchone()[0]
        offline = {row[5] for row in rows if row[6] is not None}
        assert offline == {desk_2}  # the tablet's own time travels with what it kept
        for recorded in (dt.datetime.fromisoformat(row[7]) for row in rows):
            assert at("08:50") <= recorded <= at("11:00")  # rehearsal time, not the wall's

        simulator = db.execute("SELECT revoked_at FROM stations WHERE name LIKE 'simulator · %'"
                               ).fetchall()
        assert len(simulator) == len(stations_for(event, 3))
        assert all(revoked is not None for (revoked,) in simulator)
        assert auth.authenticate(db, token) is not None  # the organiser's own stays
    finally:
        db.close()


def test_at_the_highest_speed_each_persons_steps_still_arrive_in_order(demo_db, event):
    """At x10 000 the morning takes half a second and the stations' threads race; a
    person's real arrival still reaches the server after the undo of their mistaken
    check-in, and their room entry after their arrival (no `already` where the plan
    says `checked_in`)."""
    db_path, token, _guests = demo_db
    report, _log = played(rehearsal_server(db_path), token, seed=2, speed=10_000,
                          until=at(UNTIL))
    assert report.errors == [] and report.unexpected == []
    assert report.answers["checked_in"] > 200


def test_a_run_at_its_own_speed_gives_the_server_its_speed_back(demo_db):
    """`simulate --speed 900` against a rehearsal at x0: the day is played at x900, and
    afterwards the server's clock runs (stands) as it did before, instead of racing on."""
    import requests

    db_path, token, _guests = demo_db
    server = rehearsal_server(db_path)
    try:
        report = simulate(server.url, token, seed=3, speed=900, until=at("08:55"))
        clock = requests.get(f"{server.url}/api/clock", timeout=5,
                             headers={"Authorization": f"Bearer {token}"}).json()
    finally:
        server.stop()
    assert report.errors == [] and report.steps > 0
    assert clock["speed"] == 0 and clock["now"] >= "2023-05-23T08:55"


def test_the_simulator_refuses_a_server_on_the_real_clock(demo_db, event):
    """A simulated day on the real clock would check real people in: refused before
    anything is written."""
    db_path, token, _guests = demo_db
    server = ServerProcess(db_path).wait_ready()
    try:
        with pytest.raises(SimulationError, match="echte klok"):
            run(server.url, token, event, Options(seed=1, speed=900, until=at(UNTIL)))
    finally:
        server.stop()
    db = connect(db_path)
    try:
        assert db.execute("SELECT count(*) FROM stations").fetchone()[0] == 1
        assert db.execute("SELECT count(*) FROM movements").fetchone()[0] == 0
    finally:
        db.close()


def test_the_simulator_refuses_a_wrong_token_a_non_organiser_and_a_clock_standing_still(
        demo_db, event):
    """An unknown token, a reception token, or a server whose clock stands still (and no
    speed given): a SimulationError that says what to do, and nothing played."""
    db_path, token, _guests = demo_db
    db = connect(db_path)
    try:
        _desk, desk_token = auth.create_station(db, event, "reception", "Onthaal 1")
    finally:
        db.close()
    server = rehearsal_server(db_path)
    try:
        with pytest.raises(SimulationError, match="kent deze sleutel niet"):
            run(server.url, "not-a-token", event, Options(speed=900))
        with pytest.raises(SimulationError, match="niet van een organisator-post"):
            run(server.url, desk_token, event, Options(speed=900))
        with pytest.raises(SimulationError, match="staat stil: geef --speed"):
            run(server.url, token, event, Options())
    finally:
        server.stop()
    db = connect(db_path)
    try:
        assert db.execute("SELECT count(*) FROM movements").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM stations WHERE name LIKE 'simulator%'"
                          ).fetchone()[0] == 0
    finally:
        db.close()


def test_the_same_seed_plans_the_same_day(demo_db, event):
    """The plan is decided by the list, the event file and the seed alone: the same seed
    gives the same steps, another seed another day."""
    _db_path, _token, guests = demo_db

    def steps(seed):
        return [(s.at, s.station, s.action, s.code) for s in plan_day(guests, event, seed).steps]

    assert steps(1) == steps(1)
    assert steps(1) != steps(2)
