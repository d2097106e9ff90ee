"""Live headcounts over Socket.IO, against the production server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import socketio

from kiosk.checkin import scans
from kiosk.store import attendees, connect


class Dashboard:
    """A real python-socketio client that records every `headcounts` event."""

    def __init__(self, server, token: str | None, **extra_auth):
        self.events: list[dict] = []
        self.arrived = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("headcounts", self._on_headcounts, namespace="/live")
        auth = {"token": token, **extra_auth} if token is not None else None
        self.client.connect(server.url, namespaces=["/live"], auth=auth,
                            transports=["websocket"], wait_timeout=5)

    def _on_headcounts(self, data: dict) -> None:
        with self.arrived:
            self.events.append(data)
            self.arrived.notify_all()

    def wait_for(self, predicate, timeout: float = 5.0) -> dict:
        with self.arrived:
            assert self.arrived.wait_for(lambda: any(predicate(e) for e in self.events),
                                         timeout), f"not seen; last: {self.events[-1:]}"
            return next(e for e in reversed(self.events) if predicate(e))

    def quiet(self, seconds: float = 1.0) -> dict:
        """The last event once none has come for `seconds`."""
        while True:
            count = len(self.events)
            time.sleep(seconds)
            if len(self.events) == count:
                return self.events[-1]

    def close(self) -> None:
        self.client.disconnect()


@pytest.fixture
def tokens(station_token):
    return {"organiser": station_token("organiser"), "caterer": station_token("caterer"),
            "reception": station_token("reception"), "host": station_token("host", "zaal-1")}


@pytest.fixture
def dashboards(server):
    opened: list[Dashboard] = []

    def open_(token, **extra_auth):
        board = Dashboard(server, token, **extra_auth)
        opened.append(board)
        return board
    yield open_
    for board in opened:
        board.close()


def scan(server, token, code, **extra):
    response = requests.post(f"{server.url}/api/scans", json={"code": code, **extra},
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def codes_of(db, n):
    return [a.badge_code for a in attendees.all_attendees(db)[:n]]


def test_a_dashboard_gets_a_snapshot_right_after_connecting(server, dashboards, tokens):
    board = dashboards(tokens["organiser"])
    first = board.wait_for(lambda e: True)
    assert first["seq"] >= 0 and first["totals"]["expected"] == 48
    assert {c["id"] for c in first["catering"]} == {"lunch", "tapas"}


def test_each_scan_brings_one_update_with_a_higher_seq(server, dashboards, tokens, loaded):
    board = dashboards(tokens["organiser"])
    board.wait_for(lambda e: True)
    for n, code in enumerate(codes_of(loaded, 3), start=1):
        scan(server, tokens["reception"], code)
        board.wait_for(lambda e, n=n: e["totals"]["arrived"] == n)
        time.sleep(0.3)  # past the coalescing window: one update per scan
    seqs = [e["seq"] for e in board.events]
    assert seqs == sorted(set(seqs)) and len(seqs) == 4
    assert [e["totals"]["arrived"] for e in board.events] == [0, 1, 2, 3]


def test_after_200_rapid_scans_the_last_update_equals_the_api_and_the_database(
        server, dashboards, tokens, db_path):
    from kiosk.event import load_event
    from kiosk.registrations.demo import demo_csv
    from kiosk.registrations.importer import import_registrations

    db = connect(db_path)
    import_registrations(db, load_event(), demo_csv(load_event()), "demo.csv", partial=True)
    board = dashboards(tokens["organiser"])
    board.wait_for(lambda e: True)
    everyone = codes_of(db, 200)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda c: scan(server, tokens["reception"], c), everyone))
    last = board.quiet(1.2)
    api = requests.get(f"{server.url}/api/headcounts", timeout=10,
                       headers={"Authorization": f"Bearer {tokens['organiser']}"}).json()
    for key in ("totals", "locations", "rooms", "besturen", "coverage"):
        assert last[key] == api[key], key
    assert last["totals"]["arrived"] == scans.counts(db).arrived == 200
    assert len(board.events) < 60  # coalesced: nowhere near one per scan
    seqs = [e["seq"] for e in board.events]
    assert seqs == sorted(set(seqs))


def test_a_reconnecting_dashboard_catches_up(server, dashboards, tokens, loaded):
    board = dashboards(tokens["caterer"])
    seen = board.wait_for(lambda e: True)["seq"]
    board.close()
    for code in codes_of(loaded, 5):
        scan(server, tokens["reception"], code)
    again = dashboards(tokens["caterer"])
    snapshot = again.wait_for(lambda e: e["totals"]["arrived"] == 5)
    assert snapshot["seq"] >= seen


def test_a_caterer_sees_counts_and_diets_but_never_an_email_address(server, dashboards, tokens,
                                                                    loaded):
    board = dashboards(tokens["caterer"])
    hans = attendees.get_by_email(loaded, "hans.vermeulen@willebroek.be")  # nut allergy
    scan(server, tokens["reception"], hans.badge_code)
    update = board.wait_for(lambda e: e["totals"]["on_site"] == 1)
    lunch = next(c for c in update["catering"] if c["id"] == "lunch")
    assert lunch["on_site"] == 1 and lunch["allergies"] == [
        {"name": "Hans Vermeulen", "need": "Notenallergie"}]
    assert "rooms" not in update and "besturen" not in update and "stations" not in update
    assert all("@" not in json.dumps(e) for e in board.events)


def test_a_host_sees_only_their_room(server, dashboards, tokens, loaded):
    board = dashboards(tokens["host"])
    first = board.wait_for(lambda e: True)
    assert {r["room"] for r in first["rooms"]} == {"zaal-1"}
    assert "catering" not in first and "@" not in json.dumps(first)


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_a_wrong_or_missing_token_is_refused(server, token):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Dashboard(server, token)


def refusal(server, token: str) -> str:
    """Why the server refuses a screen with this token (its connect_error message)."""
    client, why = socketio.Client(reconnection=False), []
    client.on("connect_error", lambda data: why.append(data), namespace="/live")
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(server.url, namespaces=["/live"], auth={"token": token},
                       transports=["websocket"], wait_timeout=5)
    client.disconnect()
    return str(why[-1]) if why else ""


def test_guessing_tokens_over_socketio_is_held_back_like_over_http(server, tokens):
    # 20 wrong tokens a minute from one address (kiosk.web.access): then even the right
    # token waits, on the socket as on the API, so a guest cannot guess at 500 a second.
    for n in range(20):
        assert "unauthorised" in refusal(server, f"guess-{n}")
    assert "too_many_attempts" in refusal(server, tokens["organiser"])
    held = requests.get(f"{server.url}/api/me", timeout=5,
                        headers={"Authorization": f"Bearer {tokens['organiser']}"})
    assert held.status_code == 429


def test_connecting_a_screen_records_its_contact(server, dashboards, tokens, loaded):
    from kiosk.store import stations

    dashboards(tokens["caterer"]).wait_for(lambda e: True)
    caterer = next(s for s in stations.all_stations(loaded) if s.role == "caterer")
    assert caterer.last_seen_at is not None


def test_revoking_a_station_closes_its_open_connection(server, dashboards, tokens, loaded):
    from kiosk.store import stations

    board = dashboards(tokens["caterer"])
    board.wait_for(lambda e: True)
    caterer = next(s for s in stations.all_stations(loaded) if s.role == "caterer")
    response = requests.post(f"{server.url}/organiser/stations/{caterer.id}/revoke",
                             headers={"Authorization": f"Bearer {tokens['organiser']}"},
                             allow_redirects=False, timeout=10)
    assert response.status_code == 302
    deadline = time.monotonic() + 5
    while board.client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not board.client.connected


def test_the_overview_has_no_names_but_an_organiser_can_watch_a_room_as_its_host(
        server, dashboards, tokens):
    overview = dashboards(tokens["organiser"]).wait_for(lambda e: True)
    assert all("people" not in r for r in overview["rooms"])
    room = dashboards(tokens["organiser"], room="zaal-1").wait_for(lambda e: True)
    assert {r["room"] for r in room["rooms"]} == {"zaal-1"}
    assert room["rooms"][0]["people"] and "catering" not in room
