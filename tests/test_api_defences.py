"""The API against a hostile guest (issue 11): absurd JSON is a 400, never a 500; a GET
changes nothing; wrong tokens are counted per address; hosts see no badge codes."""

from __future__ import annotations

import json

import pytest

from kiosk.store import attendees


def raw(body: str) -> dict:
    return {"data": body.encode("utf-8", "surrogatepass"),
            "content_type": "application/json"}


def movements(db) -> int:
    return db.execute("SELECT count(*) FROM movements").fetchone()[0]


# --- D8: 400 instead of 500 ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/scans", "/api/walk-ins"])
def test_json_nested_a_thousand_deep_is_a_400(desk, loaded, path):
    deep = '{"code": "x", "first_name": ' + "[" * 1000 + "]" * 1000 + "}"
    response = desk("POST", path, **raw(deep))
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed_json"
    assert movements(loaded) == 0 and len(attendees.all_attendees(loaded)) == 48


def test_brackets_inside_strings_are_no_nesting(desk, loaded):
    code = attendees.all_attendees(loaded)[0].badge_code
    body = json.dumps({"code": code, "scan_id": "[{" * 40})
    assert desk("POST", "/api/scans", **raw(body)).status_code == 200


def test_walk_in_sessions_that_are_lists_are_a_400_naming_the_field(desk, loaded):
    response = desk("POST", "/api/walk-ins", json={
        "first_name": "Mira", "sessions": {"voormiddag": ["economie", "mobiliteit"]}})
    assert response.status_code == 400 and response.get_json()["field"] == "sessions"
    assert len(attendees.all_attendees(loaded)) == 48


@pytest.mark.parametrize(("path", "body"), [
    ("/api/scans", '{"code": "CODE", "scan_id": "\\ud800"}'),
    ("/api/scans", '{"code": "CODE", "client_time": "\\udfff"}'),
    ("/api/walk-ins", '{"first_name": "Mi\\ud800ra"}'),
    ("/api/walk-ins", '{"first_name": "Mira", "\\ud800": 1}'),
])
def test_lone_surrogates_are_a_400_and_change_nothing(desk, loaded, path, body):
    code = attendees.all_attendees(loaded)[0].badge_code
    response = desk("POST", path, **raw(body.replace("CODE", code)))
    assert response.status_code == 400 and response.get_json()["error"] == "invalid"
    assert movements(loaded) == 0 and len(attendees.all_attendees(loaded)) == 48


# --- D6: control characters refused at the desk ---------------------------------------------


@pytest.mark.parametrize("name", ["Mira\x07", "\x1b[31mMira", "Mi\x00ra"])
def test_a_walk_in_with_control_characters_is_refused(desk, loaded, name):
    response = desk("POST", "/api/walk-ins", json={"first_name": name, "last_name": "V"})
    assert response.status_code == 400 and response.get_json()["field"] == "first_name"
    assert "stuurtekens" in response.get_json()["message"]
    assert len(attendees.all_attendees(loaded)) == 48


# --- D13: a GET changes nothing --------------------------------------------------------------


def test_opening_a_badge_pdf_does_not_mark_it_printed(desk, loaded):
    person = attendees.all_attendees(loaded)[0]
    assert desk("GET", f"/api/attendees/{person.id}/badge.pdf").status_code == 200
    assert attendees.get(loaded, person.id).printed_version == 0
    marked = desk("POST", f"/api/attendees/{person.id}/printed", json={})
    assert marked.status_code == 200 and marked.get_json()["printed_version"] == 1
    assert attendees.get(loaded, person.id).printed_version == 1


@pytest.mark.parametrize("version", [0, 2, "1", True])
def test_marking_a_version_that_does_not_exist_is_a_400(desk, loaded, version):
    person = attendees.all_attendees(loaded)[0]
    response = desk("POST", f"/api/attendees/{person.id}/printed", json={"version": version})
    assert response.status_code == 400
    assert attendees.get(loaded, person.id).printed_version == 0


def test_marking_printed_needs_the_badge_permission(client, loaded, station_token):
    person = attendees.all_attendees(loaded)[0]
    host = {"Authorization": f"Bearer {station_token('host', 'zaal-2')}"}
    assert client.post(f"/api/attendees/{person.id}/printed", json={},
                       headers=host).status_code == 403
    assert client.post(f"/api/attendees/{person.id}/printed", json={}).status_code == 401


# --- D14: wrong tokens per address; hosts get no codes ---------------------------------------


def test_wrong_bearer_tokens_from_one_address_are_held_back(app, client, loaded, station_token):
    app.config["AUTH_FAILURES"] = 5
    good = {"Authorization": f"Bearer {station_token('reception')}"}
    for n in range(5):
        wrong = client.get("/api/me", headers={"Authorization": f"Bearer guess-{n}"})
        assert wrong.status_code == 401
    held = client.get("/api/me", headers={"Authorization": "Bearer guess-6"})
    assert held.status_code == 429 and held.get_json()["error"] == "too_many_requests"
    assert 1 <= int(held.headers["Retry-After"]) <= 61
    assert client.get("/api/me", headers=good).status_code == 429  # no more guessing
    other = client.get("/api/me", headers=good, environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 200  # another tablet is not held back


def test_wrong_pairing_links_are_held_back_but_paired_tablets_keep_working(
        app, client, loaded, station_token):
    app.config["AUTH_FAILURES"] = 3
    token = station_token("reception")
    assert client.get(f"/pair/{token}").status_code == 302  # paired (a session cookie)
    for n in range(3):
        assert client.get(f"/pair/guess-{n}").status_code == 404
    assert client.get("/pair/guess-4").status_code == 429
    assert client.get(f"/pair/{token}").status_code == 429
    assert client.get("/api/me").status_code == 200  # the paired session is not a guess


def test_a_host_finds_names_without_badge_codes(client, loaded, station_token):
    host = {"Authorization": f"Bearer {station_token('host', 'zaal-2')}"}
    reception = {"Authorization": f"Bearer {station_token('reception')}"}
    found = client.get("/api/attendees?q=zoe", headers=host).get_json()["results"]
    assert found and all("code" not in r for r in found)
    zoe = attendees.get_by_email(loaded, "zoe.janssens@putte.be")
    assert zoe.badge_code not in str(found)
    desk = client.get("/api/attendees?q=zoe", headers=reception).get_json()["results"]
    assert zoe.badge_code in {r["code"] for r in desk}
