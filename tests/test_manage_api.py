"""The organiser's JSON API: stations, the registration list, the rehearsal clock.

What the simulator and scripts use to run a rehearsal through the real service. Only an
organiser station may use it (the clock may be read by any station); bad input is a 400
with a Dutch message and writes nothing; the real clock is never moved.
"""

from __future__ import annotations

import contextlib
import json

import pytest

from kiosk import create_app
from kiosk.checkin import auth
from kiosk.clock import EventClock
from kiosk.store import attendees, connect, movements
from tests.clocks import TZ, at

MANAGE_ROUTES = [
    ("POST", "/api/stations", {"role": "reception", "name": "Onthaal 9"}),
    ("POST", "/api/stations/1/revoke", None),
    ("GET", "/api/registrations", None),
    ("PUT", "/api/clock", {"at": "12:15"}),
    ("POST", "/api/rehearsal/reset", None),
]


@pytest.fixture
def call(client):
    """call(token, method, path, json=…): a request with that station's Bearer token."""
    def request(token: str | None, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        headers.update(kwargs.pop("headers", {}))
        return client.open(path, method=method, headers=headers, **kwargs)
    return request


@pytest.fixture
def organiser(station_token):
    return station_token("organiser")


@contextlib.contextmanager
def database(app):
    db = connect(app.config["DATABASE"])
    try:
        yield db
    finally:
        db.close()


def station_count(app) -> int:
    with database(app) as db:
        return db.execute("SELECT count(*) FROM stations").fetchone()[0]


# --- who may ------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "body"), MANAGE_ROUTES)
def test_only_an_organiser_may_manage(call, station_token, app, method, path, body):
    """No token: 401. Caterer, reception, host: 403, and nothing changes."""
    kwargs = {"json": body} if body is not None else {}
    tokens = [station_token("caterer"), station_token("reception"),
              station_token("host", "zaal-2")]
    stations = station_count(app)
    unsigned = call(None, method, path, **kwargs)
    assert unsigned.status_code == 401 and unsigned.get_json()["error"] == "unauthorised"
    for token in tokens:
        response = call(token, method, path, **kwargs)
        assert response.status_code == 403 and response.get_json()["error"] == "forbidden"
    assert station_count(app) == stations
    assert app.extensions["kiosk.clock"].now() == at("09:20")  # not moved to 12:15
    with database(app) as db:
        assert all(auth.authenticate(db, token) for token in tokens)  # none revoked


def test_any_station_may_read_the_clock(call, station_token):
    """GET /api/clock is for every station: the service's time, how it runs, which event."""
    assert call(None, "GET", "/api/clock").status_code == 401
    for token in (station_token("caterer"), station_token("reception"),
                  station_token("host", "zaal-2"), station_token("organiser")):
        assert call(token, "GET", "/api/clock").get_json() == {
            "now": "2023-05-23T09:20:00+02:00", "speed": 0, "rehearsal": True,
            "event": {"name": "STRATEGIO", "date": "2023-05-23"}}


# --- stations ------------------------------------------------------------------------------

def test_a_new_station_answers_its_token_once_and_the_token_works(call, organiser, loaded):
    """POST /api/stations pairs a station; the token in the answer signs it in at once."""
    response = call(organiser, "POST", "/api/stations",
                    json={"role": "host", "name": "Zaal Newton", "location": "zaal-2"})
    assert response.status_code == 201
    made = response.get_json()
    assert (made["name"], made["role"], made["location"]) == ("Zaal Newton", "host", "zaal-2")
    assert made["pair_url"].endswith(f"/pair/{made['token']}")
    assert call(made["token"], "GET", "/api/me").get_json() == {
        "id": made["id"], "name": "Zaal Newton", "role": "host", "location": "zaal-2"}
    code = attendees.all_attendees(loaded)[0].badge_code
    scan = call(made["token"], "POST", "/api/scans", json={"code": code})
    assert scan.status_code == 200 and scan.get_json()["location"] == "zaal-2"
    desk = call(organiser, "POST", "/api/stations", json={"role": "reception", "name": "Desk"})
    assert desk.get_json()["location"] == "onthaal"  # a desk stands at the reception


@pytest.mark.parametrize(("body", "words"), [
    ({"role": "boss", "name": "Baas"}, "onbekende rol 'boss'"),
    ({"name": "Zonder rol"}, "onbekende rol ''"),
    ({"role": "reception", "name": "Desk", "location": "zaal-99"}, "onbekende locatie 'zaal-99'"),
    ({"role": "host", "name": "Zaal"}, "een zaalverantwoordelijke hoort bij een zaal"),
    ({"role": "reception", "name": "   "}, "geef de post een naam"),
    ({"role": "reception"}, "geef de post een naam"),
    ({"role": "reception", "name": 5}, "name moet tekst zijn"),
    ({"role": ["organiser"], "name": "Lijst"}, "role moet tekst zijn"),
])
def test_a_station_that_cannot_be_made_is_a_400_in_dutch_and_nothing_is_written(
        call, organiser, app, body, words):
    """A bad role, location or name: 400 `invalid` with the reason; no station made."""
    stations = station_count(app)
    response = call(organiser, "POST", "/api/stations", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid" and words in response.get_json()["message"]
    assert station_count(app) == stations


def test_a_revoked_station_is_refused_and_revoking_twice_is_404(call, organiser):
    """After POST /api/stations/<id>/revoke the token is 401 everywhere; a second revoke,
    or one of a station that never was, is 404."""
    made = call(organiser, "POST", "/api/stations",
                json={"role": "reception", "name": "Weg"}).get_json()
    assert call(made["token"], "GET", "/api/me").status_code == 200
    revoked = call(organiser, "POST", f"/api/stations/{made['id']}/revoke")
    assert revoked.status_code == 200 and revoked.get_json() == {"id": made["id"],
                                                                 "revoked": True}
    assert call(made["token"], "GET", "/api/me").status_code == 401
    assert call(made["token"], "GET", "/api/clock").status_code == 401
    again = call(organiser, "POST", f"/api/stations/{made['id']}/revoke")
    assert again.status_code == 404 and again.get_json()["error"] == "not_found"
    assert call(organiser, "POST", "/api/stations/9999/revoke").status_code == 404


# --- the registration list --------------------------------------------------------------------

def test_the_registration_list_gives_the_organiser_every_code(call, organiser, station_token,
                                                              loaded):
    """GET /api/registrations: everyone with badge code, status and choices, no e-mail."""
    body = call(organiser, "GET", "/api/registrations").get_json()
    rows = {row["code"]: row for row in body["attendees"]}
    assert len(rows) == 48
    assert set(rows) == {p.badge_code for p in attendees.all_attendees(loaded)}
    zoe = attendees.get_by_email(loaded, "zoe.janssens@putte.be")
    assert rows[zoe.badge_code] == {
        "id": zoe.id, "first_name": "Zoë", "last_name": "Janssens", "organisation": "Putte",
        "status": "registered", "code": zoe.badge_code, "sessions": zoe.sessions,
        "meals": zoe.meals}
    assert "@" not in json.dumps(body)
    assert call(station_token("reception"), "GET", "/api/registrations").status_code == 403


# --- the clock ------------------------------------------------------------------------------

def real_clock_app(tmp_path):
    """An app on the real clock: no CLOCK (and none from the environment)."""
    return create_app({"DATABASE": str(tmp_path / "real.db"), "SECRET_KEY": "test-secret",
                       "TESTING": True, "CLOCK": None, "CLOCK_SPEED": None})


def organiser_of(app) -> str:
    with database(app) as db:
        return auth.create_station(db, app.extensions["kiosk.event"], "organiser", "Org")[1]


def test_the_real_clock_is_never_moved(tmp_path):
    """On the real clock PUT /api/clock is 409 `real_clock`, whatever it asks."""
    app = real_clock_app(tmp_path)
    assert not app.extensions["kiosk.clock"].rehearsal
    client, token = app.test_client(), organiser_of(app)
    headers = {"Authorization": f"Bearer {token}"}
    for body in ({"at": "12:15"}, {"speed": 20}, {"at": "12:15", "speed": 0}):
        response = client.put("/api/clock", json=body, headers=headers)
        assert response.status_code == 409 and response.get_json()["error"] == "real_clock"
        assert "echte klok" in response.get_json()["message"]
    state = client.get("/api/clock", headers=headers).get_json()
    assert state["rehearsal"] is False and state["speed"] == 1.0


def test_put_clock_moves_a_rehearsal_clock(call, organiser, app):
    """`at` jumps (the speed stays), `speed` changes the pace (from now), both do both."""
    jumped = call(organiser, "PUT", "/api/clock", json={"at": "12:15"})
    assert jumped.status_code == 200
    assert jumped.get_json() == {"now": "2023-05-23T12:15:00+02:00", "speed": 0,
                                 "rehearsal": True}
    both = call(organiser, "PUT", "/api/clock", json={"at": "2023-05-23T16:30", "speed": 0})
    assert both.get_json()["now"] == "2023-05-23T16:30:00+02:00"
    running = call(organiser, "PUT", "/api/clock", json={"speed": 60}).get_json()
    assert running["speed"] == 60 and running["now"].startswith("2023-05-23T16:3")
    assert app.extensions["kiosk.clock"].speed == 60


def test_put_clock_on_a_running_clock_keeps_or_stops_its_pace(tmp_path):
    """A clock running at x600: `at` keeps the pace, `speed: 0` stops it where it is."""
    app = create_app({"DATABASE": str(tmp_path / "run.db"), "SECRET_KEY": "test-secret",
                      "TESTING": True, "CLOCK": EventClock(TZ, at("09:00"), speed=600)})
    client, token = app.test_client(), organiser_of(app)
    headers = {"Authorization": f"Bearer {token}"}
    moved = client.put("/api/clock", json={"at": "12:15"}, headers=headers).get_json()
    assert moved["speed"] == 600 and "2023-05-23T12:15:00+02:00" <= moved["now"] < \
        "2023-05-23T12:16"
    stopped = client.put("/api/clock", json={"speed": 0}, headers=headers).get_json()
    assert stopped["speed"] == 0 and stopped["now"] >= moved["now"]
    assert client.get("/api/clock", headers=headers).get_json()["now"] == stopped["now"]


@pytest.mark.parametrize(("body", "error"), [
    ({"speed": "fast"}, "invalid"), ({"speed": True}, "invalid"), ({"speed": None}, "invalid"),
    ({"at": 5}, "invalid"), ({"at": ["12:15"]}, "invalid"), ({}, "invalid"),
    ({"at": "25:99"}, "invalid"), ({"at": ""}, "invalid"), ({"speed": -3}, "invalid"),
    ({"speed": 1e9}, "invalid"), ({"at": "12:15", "speed": "x"}, "invalid"),
])
def test_put_clock_refuses_bad_values_with_a_400_and_keeps_the_clock(call, organiser, app,
                                                                     body, error):
    """Wrong types and impossible values: 400 with a Dutch message; the clock stays."""
    response = call(organiser, "PUT", "/api/clock", json=body)
    assert response.status_code == 400 and response.get_json()["error"] == error
    assert response.get_json()["message"]
    clock = app.extensions["kiosk.clock"]
    assert clock.now() == at("09:20") and clock.speed == 0


@pytest.mark.parametrize(("raw", "status", "error"), [
    (b"{not json", 400, "malformed_json"), (b"[1, 2]", 400, "malformed_json"),
    (b"", 400, "malformed_json"),
    (json.dumps({"at": "12:15", "pad": "x" * 20_000}).encode(), 413, "too_large"),
])
def test_put_clock_refuses_what_is_not_a_small_json_object(call, organiser, app, raw, status,
                                                           error):
    """Malformed JSON is a 400, a 20 kB body a 413; the clock stays."""
    response = call(organiser, "PUT", "/api/clock", data=raw,
                    headers={"Content-Type": "application/json"})
    assert response.status_code == status and response.get_json()["error"] == error
    assert app.extensions["kiosk.clock"].now() == at("09:20")


def test_headcounts_carry_the_time_the_clock_was_moved_to(call, organiser, station_token):
    """After PUT /api/clock every station's snapshot is at the new time."""
    call(organiser, "PUT", "/api/clock", json={"at": "12:15"})
    for token in (organiser, station_token("caterer"), station_token("reception")):
        snapshot = call(token, "GET", "/api/headcounts").get_json()
        assert snapshot["now"] == "2023-05-23T12:15:00+02:00" and snapshot["clock"] == "12:15"
        assert snapshot["rehearsal"] is True and snapshot["speed"] == 0


# --- wiping a rehearsal ----------------------------------------------------------------------

def test_reset_wipes_the_rehearsal_and_answers_what_went(call, organiser, station_token,
                                                         loaded):
    """POST /api/rehearsal/reset removes the rehearsal's scans and walk-ins and says how
    many. The simulator's stations stay: one may be running (the command revokes them)."""
    desk = station_token("reception")
    simulator = call(organiser, "POST", "/api/stations",
                     json={"role": "reception", "name": "simulator · Onthaal 1"}).get_json()
    people = attendees.all_attendees(loaded)
    for person in people[:2]:
        assert call(desk, "POST", "/api/scans", json={"code": person.badge_code}) \
            .get_json()["result"] == "checked_in"
    walk_in = call(simulator["token"], "POST", "/api/walk-ins",
                   json={"first_name": "Lotte", "last_name": "Peeters"})
    assert walk_in.status_code == 201
    assert call(organiser, "GET", "/api/headcounts").get_json()["totals"]["arrived"] == 3

    wiped = call(organiser, "POST", "/api/rehearsal/reset")

    assert wiped.status_code == 200 and wiped.get_json() == {"movements": 3, "walk_ins": 1}
    assert movements.live_entries(loaded) == []
    assert call(organiser, "GET", "/api/headcounts").get_json()["totals"]["arrived"] == 0
    listed = call(organiser, "GET", "/api/registrations").get_json()["attendees"]
    assert [row["code"] for row in listed] == [p.badge_code for p in people]
    assert call(simulator["token"], "GET", "/api/me").status_code == 200
    assert call(organiser, "POST", "/api/rehearsal/reset").get_json() == {"movements": 0,
                                                                          "walk_ins": 0}
