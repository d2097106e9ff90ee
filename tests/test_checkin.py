"""The scan service: one badge at one place is one movement, exactly once."""

from __future__ import annotations

import threading
import uuid

import pytest

from kiosk.checkin import scans
from kiosk.checkin.scans import Scan, ScanError
from kiosk.registrations import codes
from kiosk.store import attendees, connect, movements
from tests.clocks import pinned

CLOCK = pinned()


@pytest.fixture
def person(loaded):
    return attendees.get_by_email(loaded, "zoe.janssens@putte.be")


def scan_at(db, event, person_or_code, location="onthaal", **kwargs):
    code = person_or_code if isinstance(person_or_code, str) else person_or_code.badge_code
    return scans.scan(db, event, Scan(code, location, **kwargs), CLOCK)


def test_a_first_scan_checks_in_and_a_second_says_since_when(loaded, event, person):
    first = scan_at(loaded, event, person)
    assert first.result == "checked_in" and first.attendee.first_name == "Zoë"
    again = scan_at(loaded, event, person)
    assert again.result == "already" and again.first_checkin_at == first.first_checkin_at
    assert scans.counts(loaded).as_dict() == {"expected": 48, "arrived": 1, "on_site": 1}


def test_the_same_scan_id_is_the_same_scan_and_answers_the_same(loaded, event, person):
    scan_id = str(uuid.uuid4())
    first = scan_at(loaded, event, person, scan_id=scan_id)
    retry = scan_at(loaded, event, person, scan_id=scan_id)
    assert (retry.result, retry.scan_id, retry.movement_id) == (
        "checked_in", scan_id, first.movement_id)
    assert retry.replayed and not retry.changed
    assert len(movements.live_entries(loaded)) == 1


def test_forged_truncated_and_mistyped_codes_are_unknown_and_write_nothing(loaded, event, person):
    forged = codes.new_code()  # a valid-looking code that nobody holds
    mistyped = person.badge_code[:5] + ("X" if person.badge_code[5] != "X" else "Y") + \
        person.badge_code[6:]
    for code in [forged, person.badge_code[:-3], mistyped, "<script>alert(1)</script>"]:
        assert scan_at(loaded, event, code).result == "unknown"
    assert movements.live_entries(loaded) == []


def test_typed_codes_are_forgiven(loaded, event, person):
    typed = codes.display(person.badge_code).lower()
    assert scan_at(loaded, event, typed).result == "checked_in"


def test_a_cancelled_registration_is_refused_by_name(loaded, event, person):
    loaded.execute("UPDATE attendees SET status = 'cancelled' WHERE id = ?", [person.id])
    result = scan_at(loaded, event, person)
    assert result.result == "cancelled" and result.attendee.id == person.id
    assert movements.live_entries(loaded) == []


def test_absurd_requests_are_errors_not_results(loaded, event):
    with pytest.raises(ScanError, match="te lang"):
        scan_at(loaded, event, "A" * 10_000)
    with pytest.raises(ScanError, match="onbekende locatie"):
        scan_at(loaded, event, codes.new_code(), location="kelder")
    with pytest.raises(ScanError):
        scan_at(loaded, event, codes.new_code(), direction="sideways")


def test_a_person_is_in_one_place_at_a_time(loaded, event, person):
    scan_at(loaded, event, person)
    assert scan_at(loaded, event, person, "zaal-1").result == "checked_in"
    assert scan_at(loaded, event, person, "zaal-1").result == "already"
    scan_at(loaded, event, person, "zaal-2")
    assert movements.current_places(loaded)[person.id].location == "zaal-2"
    assert scans.counts(loaded).arrived == 1


def test_an_exit_checks_out_and_coming_back_checks_in_again(loaded, event, person):
    scan_at(loaded, event, person)
    assert scan_at(loaded, event, person, "uitgang").result == "checked_out"
    assert scan_at(loaded, event, person, "uitgang").result == "already"
    assert scans.counts(loaded).on_site == 0
    back = scan_at(loaded, event, person)
    assert back.result == "checked_in" and scans.counts(loaded).on_site == 1


def test_a_room_scan_without_reception_still_counts_as_arrival(loaded, event, person):
    result = scan_at(loaded, event, person, "zaal-3")
    assert result.result == "checked_in" and result.first_checkin_at
    assert scans.counts(loaded).arrived == 1


def test_eight_stations_scanning_one_badge_at_once_give_one_check_in(loaded, event, person,
                                                                     db_path):
    barrier = threading.Barrier(8)
    results: list[str] = []

    def station() -> None:
        db = connect(db_path, migrate=False)
        barrier.wait()
        results.append(scan_at(db, event, person, scan_id=str(uuid.uuid4())).result)
        db.close()

    threads = [threading.Thread(target=station) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["already"] * 7 + ["checked_in"]
    assert len(movements.live_entries(loaded)) == 1


def test_undo_removes_a_mistaken_check_in_and_is_logged(loaded, event, person):
    first = scan_at(loaded, event, person, scan_id="s-1")
    assert scans.undo(loaded, "s-1", CLOCK).result == "undone"
    assert scans.undo(loaded, "s-1", CLOCK).result == "already_undone"
    assert scans.undo(loaded, "nope", CLOCK).result == "not_found"
    assert scans.counts(loaded).arrived == 0
    assert movements.first_checkins(loaded) == {}
    again = scan_at(loaded, event, person)
    assert again.result == "checked_in" and again.movement_id != first.movement_id
    kinds = [r["kind"] for r in loaded.query("SELECT kind FROM movements ORDER BY id")]
    assert kinds == ["scan", "undo", "scan"]


def test_the_counter_always_equals_what_the_movement_log_says(loaded, event):
    """The counter reads the presence table (kept by triggers) in one statement; a random
    day of entries, exits, room changes, retries and undos must leave it equal to the
    counts read from the whole log."""
    import random

    rng = random.Random(2023)
    people = attendees.all_attendees(loaded, status="registered")
    places = [location.id for location in event.locations]
    recent: list[str] = []
    made: dict[str, tuple] = {}  # scan_id -> (person, place): a retry repeats its scan
    for _ in range(300):
        if recent and rng.random() < 0.1:
            scans.undo(loaded, rng.choice(recent), CLOCK)
            continue
        scan_id = rng.choice(recent) if recent and rng.random() < 0.05 else str(uuid.uuid4())
        person, place = made.get(scan_id) or (rng.choice(people), rng.choice(places))
        result = scan_at(loaded, event, person, place, scan_id=scan_id)
        made[scan_id] = (person, place)
        recent.append(result.scan_id)
        counts = scans.counts(loaded)
        assert (counts.arrived, counts.on_site) == movements.arrival_counts_from_log(loaded)
    assert counts.expected == len(people)
