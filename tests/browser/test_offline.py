"""Offline stations in real Chromium: the Wi-Fi goes (Playwright's offline mode), the
reception tablet keeps answering from its own roster, and what it queued reaches the
server exactly once, at the time it was scanned, when the network is back."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kiosk.checkin import auth
from kiosk.store import attendees, connect, movements
from kiosk.web.present import local_time
from tests.browser.test_reception import LANDSCAPE, PORTRAIT, Desk, verdict, wedge_scan


def ready_for_offline(page) -> None:
    """Wait until the service worker controls the page and has kept it."""
    expect(page.locator("html")).to_have_attribute("data-shell", "ready", timeout=15000)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
    page.wait_for_function(
        """async () => {
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                if (await cache.match(location.href)) return true;
            }
            return false;
        }""",
        timeout=15000,
    )


def test_a_reload_while_offline_still_opens_the_reception_page(desk, new_page, screenshot):
    tablet = desk.open(new_page(viewport=LANDSCAPE))
    ready_for_offline(tablet)

    tablet.context.set_offline(True)
    tablet.reload(wait_until="domcontentloaded")

    expect(tablet.locator("#wedge")).to_be_focused()
    expect(tablet.locator(".topbar .where")).to_contain_text("Onthaal 1")
    # The decoder's WebAssembly comes from the cache too: nothing of the shell is missing.
    assert tablet.evaluate(
        """async () => {
            const names = await caches.keys();
            const cache = await caches.open(names.find((n) => n.startsWith('kiosk-shell-')));
            return Boolean(await cache.match('/static/vendor/zxing-wasm/zxing_reader.wasm'));
        }"""
    )
    screenshot(tablet, "reloaded-offline")
    tablet.context.set_offline(False)


def test_the_service_worker_is_served_from_the_root_and_versioned(desk):
    client = desk.server.app.test_client()
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    script = response.get_data(as_text=True)
    assert "__VERSION__" not in script and "__SHELL__" not in script
    assert re.search(r'const VERSION = "[0-9a-f]{16}"', script)
    assert "/static/vendor/zxing-wasm/zxing_reader.wasm" in script


def roster_ready(page) -> None:
    expect(page.locator("html")).to_have_attribute("data-roster", "48")


def set_tablet_clock(page, hhmm: str) -> None:
    """Move the tablet's own idea of the event time (static/js/clock.js): the scans it
    makes offline carry that time, while the server's clock stays where it is."""
    page.evaluate(
        "async (now) => (await import('/static/js/clock.js')).clock.set({now})",
        f"2023-05-23T{hhmm}:00+02:00",
    )


def second_station(desk: Desk, name: str) -> str:
    with connect(desk.db_path) as db:
        return auth.create_station(db, desk.event, "reception", name)[1]


def test_offline_scans_are_answered_at_once_and_reach_the_server_once_at_their_time(
    desk, new_page, screenshot
):
    tablet = desk.open(new_page(viewport=LANDSCAPE))
    roster_ready(tablet)
    people = [desk.person("Griet", "Mertens"), desk.person("Pieter", "Çelik"),
              desk.person("Nico", "Van Looy")]
    tablet.context.set_offline(True)

    for minute, person in zip(("09:05", "09:06", "09:07"), people, strict=True):
        set_tablet_clock(tablet, minute)
        wedge_scan(tablet, person.badge_code)
        expect(verdict(tablet)).to_have_attribute("data-result", "checked_in")
        expect(verdict(tablet).locator(".first")).to_have_text(person.first_name)
        expect(verdict(tablet)).to_contain_text("offline — wacht op verzending")
        expect(verdict(tablet)).to_have_attribute("data-offline", "pending")
        if minute == "09:05":
            screenshot(tablet, "green-offline")
    expect(tablet.locator("#net")).to_have_text("offline — 3 scans wachten")
    screenshot(tablet, "three-waiting")
    wedge_scan(tablet, people[0].badge_code)  # the same badge again, still offline: amber
    expect(verdict(tablet)).to_have_attribute("data-result", "already")
    assert all(desk.entries(p) == [] for p in people)

    tablet.context.set_offline(False)

    expect(tablet.locator("#net")).to_have_text(
        re.compile(r"^Verbonden · 4 scans verzonden om \d\d:\d\d$"), timeout=15000)
    screenshot(tablet, "delivered")
    expect(tablet.locator("#arrived")).to_have_text("3")
    for minute, person in zip(("09:05", "09:06", "09:07"), people, strict=True):
        [entry] = desk.entries(person)
        assert local_time(entry.client_time, desk.event) == minute
        assert desk.first_checkin(person) == minute  # placed at the time it was scanned


def test_two_tablets_offline_with_one_badge_end_with_one_check_in_at_the_earliest_time(
    desk, new_page
):
    person = desk.person("Griet", "Mertens")
    first = desk.open(new_page(viewport=LANDSCAPE))
    second = new_page(viewport=PORTRAIT)
    second.goto(f"{desk.server.url}/pair/{second_station(desk, 'Onthaal 2')}",
                wait_until="domcontentloaded")
    for tablet, minute in ((first, "09:04"), (second, "09:09")):
        roster_ready(tablet)
        tablet.context.set_offline(True)
        set_tablet_clock(tablet, minute)
        wedge_scan(tablet, person.badge_code)
        expect(verdict(tablet)).to_have_attribute("data-result", "checked_in")

    second.context.set_offline(False)  # the later scan reaches the server first
    expect(second.locator("#net")).to_have_text(re.compile("^Verbonden ·"), timeout=15000)
    assert desk.first_checkin(person) == "09:09"
    first.context.set_offline(False)
    expect(first.locator("#net")).to_have_text(re.compile("^Verbonden ·"), timeout=15000)

    [entry] = desk.entries(person)
    assert local_time(entry.client_time, desk.event) == "09:04"
    assert desk.first_checkin(person) == "09:04"
    with connect(desk.db_path) as db:
        assert movements.arrival_counts_from_log(db) == (1, 1)


def test_offline_name_search_and_a_walk_in_reach_the_server_once(desk, new_page, screenshot):
    tablet = desk.open(new_page(viewport=LANDSCAPE))
    roster_ready(tablet)
    tablet.context.set_offline(True)
    set_tablet_clock(tablet, "09:08")

    tablet.click("#search")
    tablet.keyboard.type("celik")
    result = tablet.locator("#results li", has_text="Pieter Çelik")
    expect(result).to_be_visible()
    screenshot(tablet, "search-offline")
    result.get_by_role("button", name="Aanmelden").click()
    expect(verdict(tablet)).to_have_attribute("data-offline", "pending")
    expect(verdict(tablet).locator(".first")).to_have_text("Pieter")
    verdict(tablet).click()

    tablet.click("#walkin-open")
    tablet.fill("#walkin-form [name=first_name]", "Lotte")
    tablet.fill("#walkin-form [name=last_name]", "Zonder Netwerk")
    tablet.click("#walkin-form [type=submit]")
    expect(verdict(tablet)).to_have_attribute("data-offline", "pending")
    expect(verdict(tablet).locator(".first")).to_have_text("Lotte")
    expect(tablet.locator("#net")).to_have_text("offline — 2 scans wachten")
    screenshot(tablet, "walk-in-offline")
    verdict(tablet).click()
    for name, size in (("portrait", PORTRAIT), ("phone", {"width": 390, "height": 844})):
        tablet.set_viewport_size(size)
        screenshot(tablet, f"waiting-{name}")
    tablet.set_viewport_size(LANDSCAPE)

    tablet.context.set_offline(False)
    expect(tablet.locator("#net")).to_have_text(re.compile("^Verbonden ·"), timeout=15000)
    expect(tablet.locator("#arrived")).to_have_text("2")
    pieter = desk.person("Pieter", "Çelik")
    assert len(desk.entries(pieter)) == 1 and desk.first_checkin(pieter) == "09:08"
    with connect(desk.db_path) as db:
        walk_ins = attendees.all_attendees(db, status="walk-in")
    assert [(a.first_name, a.last_name) for a in walk_ins] == [("Lotte", "Zonder Netwerk")]
    assert desk.first_checkin(walk_ins[0]) == "09:08"


def test_a_server_that_cannot_write_says_so_and_the_tablet_keeps_the_scan(
    desk, new_page, monkeypatch, screenshot
):
    """D11 end to end: the database turns read-only (SQLite's query_only: every write
    fails as on a read-only file), the server answers 503 in Dutch, the tablet shows it,
    answers from its roster and sends the scan again once the server can write."""
    from kiosk.web import context

    tablet = desk.open(new_page(viewport=LANDSCAPE))
    roster_ready(tablet)
    # Every connection a request takes from the pool while the test says so, also one that
    # another request (the roster's refresh, a screen) held at the moment of switching.
    real_take = context.ConnectionPool.take

    def taking(query_only: str):
        def take(pool):
            db = real_take(pool)
            db.execute(f"PRAGMA query_only = {query_only}")
            return db
        return take

    monkeypatch.setattr(context.ConnectionPool, "take", taking("ON"))
    person = desk.person("Griet", "Mertens")

    wedge_scan(tablet, person.badge_code)

    expect(verdict(tablet)).to_have_attribute("data-offline", "pending")
    expect(verdict(tablet).locator(".first")).to_have_text("Griet")
    expect(tablet.locator("#toast")).to_contain_text("De server kan nu niets bewaren")
    expect(tablet.locator("#toast")).to_contain_text("blijft op dit toestel bewaard")
    screenshot(tablet, "server-read-only")
    assert desk.entries(person) == []

    monkeypatch.setattr(context.ConnectionPool, "take", taking("OFF"))

    expect(tablet.locator("#net")).to_have_text(re.compile("^Verbonden ·"), timeout=15000)
    assert len(desk.entries(person)) == 1


def test_a_host_door_answers_from_its_room_roster_offline(live_server, new_page, screenshot):
    from tests.browser.test_screens import start_day

    day = start_day(live_server)
    page = day.open(new_page(viewport=PORTRAIT), "host")
    in_room = [p for p in day.people() if "mobiliteit" in p.sessions.values()]
    elsewhere = next(p for p in day.people() if "mobiliteit" not in p.sessions.values())
    expect(page.locator("html")).to_have_attribute("data-roster", str(len(in_room)))
    page.context.set_offline(True)

    page.locator("#door-code").focus()
    wedge_scan(page, in_room[0].badge_code)
    expect(page.locator("#door-result")).to_have_text(
        f"Welkom: {in_room[0].first_name} {in_room[0].last_name} ({in_room[0].organisation})"
        " — offline, wacht op verzending")
    wedge_scan(page, elsewhere.badge_code)
    expect(page.locator("#door-result")).to_contain_text("Niet op de lijst van deze zaal")
    screenshot(page, "host-door-offline")

    page.context.set_offline(False)  # both went in: the server lets anyone in at the door
    expect(page.locator("#present")).to_have_text("2", timeout=15000)
    with connect(live_server.app.config["DATABASE"]) as db:
        rooms = {(m.attendee_id, m.location) for m in movements.live_entries(db)}
    assert (in_room[0].id, "zaal-2") in rooms
