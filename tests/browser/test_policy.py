"""Every page under the strict Content-Security-Policy (issue 11, D7), in real Chromium:
no violation is reported, the event's colours (the nonce'd <style>) still apply, and the
pages' scripts still run."""

from __future__ import annotations

import pytest

from kiosk.checkin import auth
from kiosk.registrations.importer import import_registrations
from kiosk.store import connect
from tests.conftest import SAMPLE

PAGES = {
    "organiser": ["/organiser", "/organiser/registrations", "/organiser/import",
                  "/organiser/imports", "/organiser/badges", "/organiser/report",
                  "/organiser/stations/", "/overzicht", "/printing"],
    "reception": ["/reception"],
    "caterer": ["/caterer"],
    "host": ["/host"],
}


@pytest.fixture
def loaded_server(live_server):
    app = live_server.app
    with connect(app.config["DATABASE"]) as db:
        import_registrations(db, app.extensions["kiosk.event"], SAMPLE.read_bytes(), "a.csv")
        tokens = {role: auth.create_station(db, app.extensions["kiosk.event"], role,
                                            f"{role} test",
                                            "zaal-2" if role == "host" else None)[1]
                  for role in PAGES}
    return live_server, tokens


@pytest.mark.parametrize("role", list(PAGES))
def test_no_page_breaks_the_policy(loaded_server, new_page, role):
    server, tokens = loaded_server
    page = new_page(viewport={"width": 1280, "height": 800})
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text or "Refused to" in m.text else None)
    page.on("pageerror", lambda e: violations.append(str(e)))
    page.goto(f"{server.url}/pair/{tokens[role]}", wait_until="load")
    for path in PAGES[role]:
        response = page.goto(f"{server.url}{path}", wait_until="load")
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        primary = page.evaluate("getComputedStyle(document.documentElement)"
                                ".getPropertyValue('--primary').trim()")
        assert primary, f"{path}: the event's colours did not apply"
        page.wait_for_timeout(300)  # the page's scripts start, sockets connect
    assert violations == []
