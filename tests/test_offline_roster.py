"""The stations' local roster (GET /api/roster): hashed codes, a delta since a version,
and a host that only gets its own room."""

from __future__ import annotations

import hashlib

import pytest

from kiosk.store import attendees, movements


@pytest.fixture
def get(loaded, station_token, client):
    def make(role: str, location: str | None = None):
        token = station_token(role, location)
        return lambda path: client.get(path, headers={"Authorization": f"Bearer {token}"})
    return make


@pytest.fixture
def zoe(loaded):
    return attendees.get_by_email(loaded, "zoe.janssens@putte.be")


def test_a_whole_roster_has_everyone_with_hashed_codes_and_never_a_code(get, zoe, loaded):
    body = get("reception")("/api/roster").get_json()
    assert body["full"] is True and body["version"] > 0
    assert len(body["entries"]) == 48
    [entry] = [e for e in body["entries"] if e["id"] == zoe.id]
    assert entry["h"] == hashlib.sha256((body["salt"] + zoe.badge_code).encode()).hexdigest()
    assert entry["first_name"] == "Zoë" and entry["sessions"][0]["room_name"] == "Zaal Archimedes"
    assert entry["arrived_at"] is None and entry["status"] == "registered"
    text = str(body)
    assert zoe.badge_code not in text and "@" not in text  # no codes, no e-mail addresses


def test_the_next_call_brings_only_what_changed(get, zoe, loaded, client, station_token):
    roster = get("reception")
    version = roster("/api/roster").get_json()["version"]
    assert roster(f"/api/roster?since={version}").get_json()["entries"] == []

    token = station_token("reception")
    client.post("/api/scans", json={"code": zoe.badge_code},
                headers={"Authorization": f"Bearer {token}"})
    delta = roster(f"/api/roster?since={version}").get_json()

    assert delta["full"] is False and delta["version"] > version
    [entry] = delta["entries"]
    assert entry["id"] == zoe.id and entry["arrived_at"] is not None
    other = attendees.get_by_email(loaded, "an.nuyts@duffel.be")
    loaded.execute("UPDATE attendees SET status = 'cancelled' WHERE id = ?", [other.id])
    [cancelled] = roster(f"/api/roster?since={delta['version']}").get_json()["entries"]
    assert cancelled["id"] == other.id and cancelled["status"] == "cancelled"


def test_a_person_deleted_is_gone_in_the_delta(get, loaded):
    roster = get("reception")
    version = roster("/api/roster").get_json()["version"]
    person = attendees.get_by_email(loaded, "zoe.janssens@putte.be")
    loaded.execute("DELETE FROM attendees WHERE id = ?", [person.id])
    assert roster(f"/api/roster?since={version}").get_json()["entries"] == [
        {"id": person.id, "gone": True}]


def test_a_version_from_another_database_gets_the_whole_roster(get):
    body = get("reception")("/api/roster?since=999999").get_json()
    assert body["full"] is True and len(body["entries"]) == 48


def test_a_host_gets_only_the_people_of_its_room(get, loaded, event):
    body = get("host", "zaal-1")("/api/roster").get_json()
    ids = {e["id"] for e in body["entries"]}
    expected = {a.id for a in attendees.all_attendees(loaded)
                if any(event.room_for(t, b) and event.room_for(t, b).id == "zaal-1"
                       for b, t in a.sessions.items() if t)}
    assert ids == expected and 0 < len(ids) < 48


def test_bad_versions_and_roles_are_refused(get, loaded):
    assert get("reception")("/api/roster?since=abc").status_code == 400
    assert get("reception")("/api/roster?since=-1").status_code == 400
    assert get("caterer")("/api/roster").status_code == 403
    assert movements.live_entries(loaded) == []
