"""The organiser adds a station in the browser and gets its pairing QR code."""

from __future__ import annotations

from playwright.sync_api import expect

from kiosk.checkin import auth
from kiosk.store import connect


def test_an_organiser_creates_a_station_with_the_form(live_server, new_page, screenshot):
    app = live_server.app
    with connect(app.config["DATABASE"]) as db:
        _station, token = auth.create_station(db, app.extensions["kiosk.event"], "organiser",
                                              "Organisator")
    page = new_page(viewport={"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/pair/{token}", wait_until="domcontentloaded")
    page.goto(f"{live_server.url}/organiser/stations/")
    page.fill("input[name=name]", "Onthaal 3")
    page.click("button:has-text('Aanmaken')")  # a real form post: the browser sets Origin

    expect(page.locator(".paired")).to_contain_text("Onthaal 3")
    expect(page.locator(".pair-url")).to_contain_text(f"{live_server.url}/pair/")
    screenshot(page, "stations-created")
