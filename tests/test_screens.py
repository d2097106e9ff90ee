"""The live screens' pages: who may open which, and what each page hands to its script."""

from __future__ import annotations

import hashlib
import json
import re
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = {"caterer": "/caterer", "host": "/host", "organiser": "/organiser"}


def config_of(response) -> dict:
    """The data-config a screen's template hands to its script."""
    match = re.search(r'data-config="([^"]*)"', response.get_data(as_text=True))
    assert match, "no data-config on the page"
    return json.loads(unescape(match.group(1)))


@pytest.mark.parametrize("role, page", list(PAGES.items()))
def test_pairing_takes_each_role_to_its_screen(app, station_token, role, page):
    browser = app.test_client()
    location = "zaal-2" if role == "host" else None

    response = browser.get(f"/pair/{station_token(role, location)}")

    assert response.status_code == 302
    assert response.headers["Location"] == page
    assert browser.get(page).status_code == 200


@pytest.mark.parametrize("page", PAGES.values())
def test_an_unpaired_browser_is_sent_to_the_pairing_page(client, page):
    response = client.get(page)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize(
    "role, location, allowed",
    [
        ("caterer", None, {"/caterer"}),
        ("host", "zaal-2", {"/host"}),
        ("organiser", None, {"/caterer", "/host", "/organiser"}),
        ("reception", None, set()),
    ],
)
def test_each_role_opens_only_its_screens(paired, role, location, allowed):
    browser = paired(role, location)

    statuses = {page: browser.get(page).status_code for page in PAGES.values()}

    assert statuses == {page: 200 if page in allowed else 403 for page in PAGES.values()}


def test_a_host_sees_the_room_of_their_station_whatever_the_address_says(paired):
    browser = paired("host", "zaal-2")

    response = browser.get("/host?room=zaal-3")

    config = config_of(response)
    assert config["room"] == {
        "id": "zaal-2",
        "name": "Zaal Newton",
        "capacity": 45,
        "kind": "session",
    }
    assert {r["room"] for r in config["snapshot"]["rooms"]} == {"zaal-2"}
    assert config["canScan"] is True
    assert config["rooms"] == []  # no picker: a host has one room


def test_the_organiser_picks_a_room(paired):
    browser = paired("organiser")

    config = config_of(browser.get("/host?room=zaal-3"))

    assert config["room"]["name"] == "Zaal Curie"
    assert "/host?room=zaal-1" in [r["url"] for r in config["rooms"]]
    assert browser.get("/host?room=kelder").status_code == 404


def test_the_kitchen_page_carries_counts_and_times_but_no_e_mail(app, paired, loaded):
    browser = paired("caterer")

    response = browser.get("/caterer")

    config = config_of(response)
    assert set(config["snapshot"]) == {"event", "now", "clock", "speed", "rehearsal", "totals",
                                       "catering", "arrivals"}
    assert config["snapshot"]["now"] == "2023-05-23T09:20:00+02:00"  # the tests' clock
    assert config["snapshot"]["totals"]["expected"] == 48
    assert [(m["id"], m["start"], m["end"]) for m in config["moments"]] == [
        ("lunch", "12:30", "14:00"),
        ("tapas", "16:30", "18:00"),
    ]
    assert "@" not in response.get_data(as_text=True)
    assert "overview" not in config["urls"]  # no links to the organiser's pages


def test_the_organiser_overview_links_the_other_screens(paired):
    config = config_of(paired("organiser").get("/organiser"))

    assert config["urls"]["caterer"] == "/caterer"
    assert config["urls"]["overview"] == "/overzicht"
    assert len(config["rooms"]) == 9  # 8 work-session rooms and the auditorium
    assert {"coverage", "stations", "besturen", "locations"} <= set(config["snapshot"])


@pytest.mark.parametrize(
    "role, location", [("caterer", None), ("host", "zaal-2"), ("organiser", None)]
)
def test_screens_run_no_inline_script_under_the_strict_policy(paired, role, location):
    response = paired(role, location).get(PAGES[role])
    html = response.get_data(as_text=True)

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all('type="module"' in s and "src=" in s for s in scripts)
    assert re.search(r"<script\b[^>]*>\s*[^<\s]", html) is None  # no script body


def test_a_name_with_markup_reaches_the_page_only_as_escaped_data(app, paired, db, event):
    from kiosk.registrations import codes
    from kiosk.store import attendees, now, transaction
    from kiosk.store.attendees import Attendee

    markup = '<img src=x onerror="alert(1)">'
    with transaction(db):
        attendees.insert(
            db,
            Attendee(
                email="x@example.org",
                first_name=markup,
                last_name="Peeters",
                sessions={"voormiddag": "mobiliteit"},
                badge_code=codes.new_code(),
                created_at=now(),
                updated_at=now(),
            ),
        )

    response = paired("host", "zaal-2").get("/host")

    assert "<img" not in response.get_data(as_text=True)
    names = [p["name"] for p in config_of(response)["snapshot"]["rooms"][0]["people"]]
    assert f"{markup} Peeters" in names


def test_the_vendored_socket_io_client_is_the_one_the_readme_names():
    vendored = ROOT / "static" / "vendor" / "socket.io-client" / "socket.io.esm.min.js"
    readme = (ROOT / "static" / "vendor" / "README.md").read_text(encoding="utf-8")

    digest = hashlib.sha256(vendored.read_bytes()).hexdigest()

    assert digest in readme
    assert vendored.read_text(encoding="utf-8").startswith("/*!\n * Socket.IO v4.")
    assert (vendored.parent / "LICENSE").exists()
