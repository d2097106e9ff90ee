"""Headcounts are derived from the movement log: presence, rooms, diets, coverage, roles."""

from __future__ import annotations

import json

import pytest

from kiosk.checkin import scans
from kiosk.headcounts import snapshots
from kiosk.store import attendees
from tests.clocks import pinned

CLOCK = pinned("09:20")


@pytest.fixture
def people(loaded):
    return {a.email.split("@")[0]: a for a in attendees.all_attendees(loaded)}


def at(db, event, person, location="onthaal", **kwargs):
    return scans.scan(db, event, scans.Scan(person.badge_code, location, **kwargs), CLOCK)


def snap(db, event, clock=CLOCK):
    return snapshots.snapshot(db, event, clock)


def test_everyone_is_in_one_place_and_exits_end_their_presence(loaded, event, people):
    zoe, an = people["zoe.janssens"], people["an.nuyts"]
    at(loaded, event, zoe)
    at(loaded, event, an)
    at(loaded, event, zoe, "zaal-1")
    at(loaded, event, an, "uitgang")
    snapshot = snap(loaded, event)
    present = {loc["id"]: loc["present"] for loc in snapshot["locations"]}
    assert present["zaal-1"] == 1 and present["onthaal"] == 0 and present["uitgang"] == 0
    assert snapshot["totals"] == {"expected": 48, "arrived": 2, "on_site": 1, "walk_ins": 0}


def test_a_room_knows_who_is_expected_and_who_is_in(loaded, event, people):
    zoe = people["zoe.janssens"]  # Vrije tijd in the morning: Zaal Archimedes
    room = next(r for r in snap(loaded, event)["rooms"]
                if r["room"] == "zaal-1" and r["block"] == "voormiddag")
    assert room["expected"] == 0 and room["registered"] > 0 and room["current"]
    at(loaded, event, zoe)
    room = next(r for r in snap(loaded, event)["rooms"]
                if r["room"] == "zaal-1" and r["block"] == "voormiddag")
    assert room["expected"] == 1 and room["present"] == 0
    at(loaded, event, zoe, "zaal-1")
    room = next(r for r in snap(loaded, event)["rooms"]
                if r["room"] == "zaal-1" and r["block"] == "voormiddag")
    assert room["present"] == 1 and room["besturen_present"] == ["Putte"]
    assert {"name": "Zoë Janssens", "organisation": "Putte", "on_site": True, "here": True,
            "id": zoe.id} in room["people"]


def test_diets_count_only_those_on_site_and_allergies_come_with_a_name(loaded, event, people):
    lunch = next(c for c in snap(loaded, event)["catering"] if c["id"] == "lunch")
    assert lunch["on_site"] == 0 and all(d["count"] == 0 for d in lunch["diets"])
    at(loaded, event, people["zoe.janssens"])  # vegetarian, lunch
    at(loaded, event, people["hans.vermeulen"])  # nut allergy, lunch
    at(loaded, event, people["ulrike.mertens"])  # "Vegetarisch, geen paprika"
    lunch = next(c for c in snap(loaded, event)["catering"] if c["id"] == "lunch")
    counts = {d["id"]: d["count"] for d in lunch["diets"]}
    assert counts["vegetarian"] == 2 and counts["allergy"] == 1 and lunch["on_site"] == 3
    assert lunch["allergies"] == [{"name": "Hans Vermeulen", "need": "Notenallergie"}]


def test_the_coverage_matrix_counts_each_bestuur_per_theme(loaded, event, people):
    coverage = snap(loaded, event)["coverage"]
    assert len(coverage["besturen"]) == 12 and "IGEMO" not in coverage["besturen"]
    putte = coverage["besturen"].index("Putte")
    vrije_tijd = [t["id"] for t in coverage["themes"]].index("vrije-tijd")
    assert coverage["registered"][putte][vrije_tijd] >= 2
    assert coverage["present"][putte][vrije_tijd] == 0
    at(loaded, event, people["zoe.janssens"])
    assert snap(loaded, event)["coverage"]["present"][putte][vrije_tijd] == 1


def test_arrivals_are_counted_per_five_minutes(loaded, event, people):
    for name, moment in [("zoe.janssens", "09:01"), ("an.nuyts", "09:03"),
                         ("hans.vermeulen", "09:07")]:
        scans.scan(loaded, event, scans.Scan(people[name].badge_code, "onthaal"),
                     pinned(moment))
    assert snap(loaded, event)["arrivals"] == [
        {"at": "09:00", "count": 2, "total": 2}, {"at": "09:05", "count": 1, "total": 3}]


def test_each_role_sees_only_what_it_needs(loaded, event, people):
    at(loaded, event, people["hans.vermeulen"])
    full = snap(loaded, event)
    caterer = snapshots.for_role(full, "caterer")
    host = snapshots.for_role(full, "host", "zaal-2")
    reception = snapshots.for_role(full, "reception")
    clock = {"now", "clock", "speed", "rehearsal"}
    assert set(caterer) == {"event", *clock, "totals", "catering", "arrivals"}
    assert {r["room"] for r in host["rooms"]} == {"zaal-2"} and "catering" not in host
    assert set(reception) == {"event", *clock, "totals"}
    for view in (full, caterer, host, reception):
        assert "@" not in json.dumps(view)
