"""The station API: every result code, idempotency, roles, and bad input refused."""

from __future__ import annotations

import json
import uuid

import pytest

from kiosk.registrations import codes
from kiosk.store import attendees, movements


@pytest.fixture
def reception(loaded, station_token, client):
    token = station_token("reception")
    return lambda path, **kw: client.post(
        path, headers={"Authorization": f"Bearer {token}", **kw.pop("headers", {})}, **kw)


@pytest.fixture
def zoe(loaded):
    return attendees.get_by_email(loaded, "zoe.janssens@putte.be")


def test_a_scan_answers_with_result_attendee_and_counts(reception, zoe):
    body = reception("/api/scans", json={"code": zoe.badge_code, "scan_id": "a"}).get_json()
    assert body["result"] == "checked_in" and body["scan_id"] == "a"
    assert body["location"] == "onthaal"  # the station's own location
    assert body["attendee"]["first_name"] == "Zoë" and body["attendee"]["organisation"] == "Putte"
    assert body["attendee"]["sessions"][0] == {
        "block": "voormiddag", "block_name": "Voormiddag", "theme": "vrije-tijd",
        "theme_name": "Vrije tijd", "room": "zaal-1", "room_name": "Zaal Archimedes"}
    assert body["counts"] == {"expected": 48, "arrived": 1, "on_site": 1}
    assert "email" not in json.dumps(body)


def test_every_result_code(reception, zoe, loaded):
    assert reception("/api/scans", json={"code": zoe.badge_code}).get_json()["result"] == \
        "checked_in"
    already = reception("/api/scans", json={"code": zoe.badge_code}).get_json()
    assert already["result"] == "already" and already["first_checkin_at"]
    assert reception("/api/scans", json={"code": codes.new_code()}).get_json()["result"] == \
        "unknown"
    other = attendees.get_by_email(loaded, "an.nuyts@duffel.be")
    loaded.execute("UPDATE attendees SET status = 'cancelled' WHERE id = ?", [other.id])
    assert reception("/api/scans", json={"code": other.badge_code}).get_json()["result"] == \
        "cancelled"
    out = reception("/api/scans", json={"code": zoe.badge_code, "location": "uitgang"})
    assert out.get_json()["result"] == "checked_out"


def test_the_same_scan_id_twice_is_one_scan(reception, zoe, loaded):
    scan_id = str(uuid.uuid4())
    first = reception("/api/scans", json={"code": zoe.badge_code, "scan_id": scan_id})
    second = reception("/api/scans", json={"code": zoe.badge_code, "scan_id": scan_id})
    assert first.get_json()["result"] == second.get_json()["result"] == "checked_in"
    assert len(movements.live_entries(loaded)) == 1


def test_no_token_is_401_and_a_caterer_is_403(client, loaded, station_token, zoe):
    assert client.post("/api/scans", json={"code": zoe.badge_code}).status_code == 401
    bad = client.post("/api/scans", json={"code": zoe.badge_code},
                      headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.headers["WWW-Authenticate"].startswith("Bearer")
    caterer = station_token("caterer")
    response = client.post("/api/scans", json={"code": zoe.badge_code},
                           headers={"Authorization": f"Bearer {caterer}"})
    assert response.status_code == 403 and response.get_json()["error"] == "forbidden"
    assert movements.live_entries(loaded) == []


def test_a_revoked_station_is_refused_at_once(client, loaded, app, zoe):
    from kiosk.checkin import auth
    station, token = auth.create_station(loaded, app.extensions["kiosk.event"], "reception",
                                         "Onthaal 2")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/scans", json={"code": "X"}, headers=headers).status_code == 200
    auth.revoke_station(loaded, station.id)
    assert client.post("/api/scans", json={"code": "X"}, headers=headers).status_code == 401


@pytest.mark.parametrize(("body", "status", "error"), [
    (b"{not json", 400, "malformed_json"),
    (b"[1, 2]", 400, "malformed_json"),
    (b'{"location": "onthaal"}', 400, "invalid"),
    (b'{"code": 12345}', 400, "invalid"),
    (json.dumps({"code": "A" * 10_000}).encode(), 400, "invalid"),
    (json.dumps({"code": "ABC", "location": "kelder"}).encode(), 400, "invalid"),
    (json.dumps({"code": "ABC", "scan_id": "x" * 500}).encode(), 400, "invalid"),
    (json.dumps({"code": "A" * 100_000}).encode(), 413, "too_large"),
])
def test_bad_requests_get_a_clear_4xx_and_write_nothing(reception, loaded, body, status, error):
    response = reception("/api/scans", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == status
    assert response.get_json()["error"] == error and response.get_json()["message"]
    assert movements.live_entries(loaded) == []


def test_a_host_scans_only_in_their_own_room(client, loaded, station_token, zoe):
    token = station_token("host", "zaal-1")
    headers = {"Authorization": f"Bearer {token}"}
    ok = client.post("/api/scans", json={"code": zoe.badge_code}, headers=headers)
    assert ok.get_json()["result"] == "checked_in" and ok.get_json()["location"] == "zaal-1"
    elsewhere = client.post("/api/scans", json={"code": zoe.badge_code, "location": "zaal-2"},
                            headers=headers)
    assert elsewhere.status_code == 403


def test_undo_over_the_api(reception, zoe):
    reception("/api/scans", json={"code": zoe.badge_code, "scan_id": "s1"})
    body = reception("/api/scans/s1/undo").get_json()
    assert body["result"] == "undone" and body["counts"]["arrived"] == 0
    assert reception("/api/scans/s1/undo").get_json()["result"] == "already_undone"
    assert reception("/api/scans/unknown/undo").status_code == 404


def test_markup_in_names_comes_back_as_data(reception, loaded, zoe):
    loaded.execute("UPDATE attendees SET first_name = ? WHERE id = ?",
                   ["<img src=x onerror=alert(1)>", zoe.id])
    body = reception("/api/scans", json={"code": zoe.badge_code}).get_json()
    assert body["attendee"]["first_name"] == "<img src=x onerror=alert(1)>"


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self' 'wasm-unsafe-eval'" in policy and "unsafe-inline" not in \
        policy.split("script-src")[1].split(";")[0]
