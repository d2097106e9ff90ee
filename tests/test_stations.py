"""Stations: created from the CLI, paired in a browser, revoked, each with its role."""

from __future__ import annotations

from kiosk.checkin import auth
from kiosk.store import stations


def test_station_add_prints_the_token_as_its_last_line(runner, app, db):
    result = runner.invoke(args=["station", "add", "--role", "reception", "--name", "Onthaal 1"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    station = auth.authenticate(db, token)
    assert (station.role, station.name, station.location) == ("reception", "Onthaal 1",
                                                              "onthaal")
    assert all(token not in str(row) for row in db.query("SELECT * FROM stations"))


def test_station_add_refuses_an_unknown_location_or_a_host_without_a_room(runner):
    bad = runner.invoke(args=["station", "add", "--role", "host", "--name", "Zaal",
                              "--location", "kelder"])
    assert bad.exit_code == 1 and "onbekende locatie 'kelder'" in bad.stderr
    roomless = runner.invoke(args=["station", "add", "--role", "host", "--name", "Zaal"])
    assert roomless.exit_code == 1 and "--location" in roomless.stderr
    assert runner.invoke(args=["station", "add", "--role", "baas", "--name", "X"]).exit_code == 2


def test_station_list_and_revoke(runner, db):
    runner.invoke(args=["station", "add", "--role", "caterer", "--name", "Keuken"])
    listing = runner.invoke(args=["station", "list"]).stdout
    assert "caterer" in listing and "Keuken" in listing and "nooit" in listing
    assert runner.invoke(args=["station", "revoke", "1"]).exit_code == 0
    assert stations.get(db, 1).revoked_at
    assert runner.invoke(args=["station", "revoke", "1"]).exit_code == 1


def test_pairing_signs_the_browser_in_and_sends_it_to_its_page(client, station_token):
    response = client.get(f"/pair/{station_token('reception')}")
    assert response.status_code == 302 and response.headers["Location"] == "/reception"
    assert client.get("/").headers["Location"] == "/reception"
    page = client.get("/reception")
    assert page.status_code == 200 and "Zoek op naam" in page.get_data(as_text=True)


def test_a_wrong_pairing_link_is_refused(client):
    assert client.get("/pair/not-a-token").status_code == 404
    assert client.get("/reception").headers["Location"] == "/"


def test_revoking_a_station_signs_its_browser_out(client, app, db):
    station, token = auth.create_station(db, app.extensions["kiosk.event"], "reception", "T")
    client.get(f"/pair/{token}")
    assert client.get("/reception").status_code == 200
    auth.revoke_station(db, station.id)
    assert client.get("/reception").status_code == 302


def test_the_paired_session_works_for_the_api_too(paired, loaded):
    browser = paired("reception")
    assert browser.get("/api/me").get_json()["role"] == "reception"
    code = loaded.execute("SELECT badge_code FROM attendees LIMIT 1").fetchone()[0]
    assert browser.post("/api/scans", json={"code": code}).get_json()["result"] == "checked_in"


def test_a_caterer_cannot_open_the_reception_page(paired):
    assert paired("caterer").get("/reception").status_code == 403


def test_the_reception_page_hands_its_data_over_without_inline_script(paired):
    page = paired("reception").get("/reception?lang=en").get_data(as_text=True)
    assert "<script>" not in page and 'type="module"' in page
    assert "data-config=" in page and "Search by name" in page
