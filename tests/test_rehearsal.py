"""Rehearsals leave marks, and `reset --rehearsal` wipes exactly those.

Scans, undos and walk-ins made on a rehearsal clock are marked in the database; wiping a
rehearsal removes them and nothing else: registrations, badge codes, printed badges and
real check-ins stay as they were, and the counters agree with the log afterwards.
"""

from __future__ import annotations

import pytest

from kiosk.checkin import auth, scans
from kiosk.checkin.scans import Scan
from kiosk.checkin.walkin import register_walk_in
from kiosk.clock import EventClock
from kiosk.rehearsal import wipe
from kiosk.store import attendees, movements
from tests.clocks import pinned

WALK_IN = {"first_name": "Lotte", "last_name": "Peeters", "organisation": "Lier",
           "sessions": {"voormiddag": "mobiliteit"}}


@pytest.fixture
def people(loaded):
    """Three registrations of the sample, by first name."""
    return {p.first_name: p for p in (attendees.get_by_email(loaded, email) for email in (
        "zoe.janssens@putte.be", "an.nuyts@duffel.be", "pieter.celik@bonheiden.be"))}


def registrations(db) -> list[tuple]:
    """What a rehearsal must never touch: who is registered, their codes and badges."""
    return [(p.id, p.email, p.status, p.badge_code, p.badge_version, p.printed_version,
             p.updated_at) for p in attendees.all_attendees(db)]


def consistent(db) -> bool:
    """The presence table (what the counters read) agrees with the whole movement log."""
    counts = scans.counts(db)
    return (counts.arrived, counts.on_site) == movements.arrival_counts_from_log(db)


def test_a_reset_removes_the_rehearsal_and_the_real_day_counts_again(loaded, event, people):
    """The story of a dress rehearsal the evening before, on a database that already holds
    one real check-in."""
    db, zoe, an, pieter = loaded, people["Zoë"], people["An"], people["Pieter"]
    attendees.mark_printed(db, {zoe.id: zoe.badge_version})  # her badge was printed
    # The one real scan: the real clock (not a rehearsal). Its hour is whatever the wall
    # says, and nothing below depends on it: only on the scan not being a rehearsal's.
    real = scans.scan(db, event, Scan(zoe.badge_code, "onthaal", "echt-1"), EventClock(event.tz))
    assert real.result == "checked_in"
    before = registrations(db)

    # The rehearsal, on pinned clocks: two arrivals, one of them into a room, the real
    # check-in undone by mistake, and a walk-in who goes to their room.
    room = event.room_for("mobiliteit", "voormiddag").id
    for person, hhmm in ((an, "09:05"), (pieter, "09:07")):
        assert scans.scan(db, event, Scan(person.badge_code, "onthaal"),
                            pinned(hhmm)).result == "checked_in"
    assert scans.scan(db, event, Scan(an.badge_code, room), pinned("10:01")).changed
    assert scans.undo(db, "echt-1", pinned("09:10")).result == "undone"
    walk_in, scan = register_walk_in(db, event, dict(WALK_IN), "onthaal", pinned("09:30"))
    assert scan.result == "checked_in" and walk_in.rehearsal == 1
    assert scans.scan(db, event, Scan(walk_in.badge_code, room), pinned("10:05")).changed
    assert movements.count_rehearsal(db) == 6
    assert set(movements.first_checkins(db)) == {an.id, pieter.id, walk_in.id}  # not Zoë
    assert scans.counts(db).as_dict() == {"expected": 49, "arrived": 3, "on_site": 3}
    assert consistent(db)

    wiped = wipe.rehearsals(db)

    assert wiped == wipe.Wiped(movements=6, walk_ins=1, stations=0)
    assert list(movements.first_checkins(db)) == [zoe.id]
    assert [(m.scan_id, m.rehearsal) for m in movements.live_entries(db)] == [("echt-1", 0)]
    assert movements.last_live(db, zoe.id).location == "onthaal"  # back where the real day has her
    assert scans.counts(db).as_dict() == {"expected": 48, "arrived": 1, "on_site": 1}
    assert consistent(db)
    assert [row[0] for row in db.execute("SELECT attendee_id FROM presence")] == [zoe.id]
    assert attendees.get(db, walk_in.id) is None
    assert registrations(db) == before  # codes, versions, printed badges untouched
    assert wipe.rehearsals(db) == wipe.Wiped(0, 0)  # wiping twice is harmless


def test_a_real_undo_of_a_real_scan_stays(loaded, event, people):
    """Only what a rehearsal clock made goes: an undo on the real clock is part of the
    real day (the wall-clock hour does not matter here either)."""
    db, zoe = loaded, people["Zoë"]
    real = EventClock(event.tz)
    scans.scan(db, event, Scan(zoe.badge_code, "onthaal", "echt-1"), real)
    scans.undo(db, "echt-1", real)
    assert wipe.rehearsals(db) == wipe.Wiped(0, 0)
    assert scans.counts(db).arrived == 0 and consistent(db)


# --- the command ------------------------------------------------------------------------------

def test_reset_rehearsal_prints_a_dutch_summary_and_revokes_leftover_simulator_stations(
        runner, loaded, event, people):
    """`reset --rehearsal` wipes the rehearsal and revokes the simulator's stations that
    are still active (its server was stopped under it); other stations stay paired."""
    db = loaded
    _desk, desk_token = auth.create_station(db, event, "reception", "Onthaal 1")
    _host, host_token = auth.create_station(db, event, "host", "Zaal Newton", "zaal-2")
    left = [auth.create_station(db, event, "reception", "simulator · Onthaal 1"),
            auth.create_station(db, event, "host", "simulator · Zaal Newton", "zaal-2")]
    done, _token = auth.create_station(db, event, "reception", "simulator · Onthaal 2")
    auth.revoke_station(db, done.id)
    revoked_at = db.execute("SELECT revoked_at FROM stations WHERE id = ?", [done.id]).fetchone()
    scans.scan(db, event, Scan(people["An"].badge_code, "onthaal"), pinned())
    register_walk_in(db, event, dict(WALK_IN), "onthaal", pinned())

    result = runner.invoke(args=["reset", "--rehearsal"])

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Repetitie gewist: 2 scans en 1 ter plaatse ingeschreven deelnemer verwijderd, "
        "2 posten van de simulator ingetrokken. Inschrijvingen, badgecodes en echte "
        "aanmeldingen blijven.\n")
    assert all(auth.authenticate(db, token) is None for _station, token in left)
    assert auth.authenticate(db, desk_token) and auth.authenticate(db, host_token)
    assert db.execute("SELECT revoked_at FROM stations WHERE id = ?",
                      [done.id]).fetchone() == revoked_at  # revoked once, not again
    assert scans.counts(db).as_dict() == {"expected": 48, "arrived": 0, "on_site": 0}

    again = runner.invoke(args=["reset", "--rehearsal"])
    assert again.exit_code == 0
    assert again.stdout.startswith("Repetitie gewist: 0 scans en 0 ter plaatse") and \
        "posten" not in again.stdout


def test_reset_without_saying_what_is_a_usage_error(runner, loaded, event, people):
    """A bare `reset` wipes nothing: exit 2 and what to add."""
    scans.scan(loaded, event, Scan(people["An"].badge_code, "onthaal"), pinned())
    result = runner.invoke(args=["reset"])
    assert result.exit_code == 2
    assert "zeg wat er gewist wordt: --rehearsal" in result.stderr
    assert movements.count_rehearsal(loaded) == 1
