"""The live screens in real Chromium: the kitchen TV, a room host's tablet, the organiser.

Each test gets a fresh server with the demo registrations imported (about 220 people) and
stations paired through /pair/TOKEN. Scans arrive the way the reception sends them (POST
/api/scans with a reception token); the screens must follow within a second, without a
reload, and send nothing off the origin. Screenshots land in test-artifacts/browser/.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import random
import re
import signal
import time
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from kiosk.checkin import auth, scans
from kiosk.checkin.scans import Scan
from kiosk.clock import EventClock
from kiosk.event import Event, load_event
from kiosk.registrations.demo import demo_csv
from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees as attendee_store
from kiosk.store import connect
from kiosk.store.attendees import Attendee
from tests.browser.conftest import _same_origin
from tests.browser.people import add_person
from tests.clocks import DAY, MORNING, at, pinned

PINNED = ("--clock", f"{DAY}T{MORNING}", "--speed", "0")  # a server process's clock

TV = {"width": 1920, "height": 1080}
TABLET = {"width": 1024, "height": 768}
LAPTOP = {"width": 1440, "height": 900}
BUNDLED = Path(load_event().source)


@dataclasses.dataclass
class Day:
    """A server with the demo imported, its event, and a token per role."""

    server: object
    event: Event
    tokens: dict[str, str]

    @property
    def url(self) -> str:
        return self.server.url

    def db(self):
        return connect(self.server.app.config["DATABASE"])

    def people(self) -> list[Attendee]:
        with self.db() as db:
            return attendee_store.all_attendees(db)

    def add(self, **fields) -> Attendee:
        """A registration the import did not bring (e.g. a name with markup in it)."""
        return add_person(self.server.app.config["DATABASE"], **fields)

    def scan(self, person: Attendee, location: str | None = None) -> dict:
        """A reception tablet scans a badge, as over the Wi-Fi."""
        body = {"code": person.badge_code, "scan_id": str(uuid.uuid4())}
        if location:
            body["location"] = location
        answer = requests.post(
            f"{self.url}/api/scans",
            json=body,
            timeout=5,
            headers={"Authorization": f"Bearer {self.tokens['reception']}"},
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    def open(self, page, role: str):
        """Pair `page` as the station of `role` and wait until its socket is connected."""
        page.goto(f"{self.url}/pair/{self.tokens[role]}", wait_until="domcontentloaded")
        expect(page.locator("#pill")).to_have_text("Verbonden")
        return page


def start_day(server) -> Day:
    event = server.app.extensions["kiosk.event"]
    tokens = {}
    with connect(server.app.config["DATABASE"]) as db:
        import_registrations(db, event, demo_csv(event), "demo.csv")
        for role, name, location in [
            ("reception", "Onthaal 1", None),
            ("caterer", "Keuken", None),
            ("host", "Zaal Newton", "zaal-2"),
            ("organiser", "Organisator", None),
        ]:
            _station, tokens[role] = auth.create_station(db, event, role, name, location)
    return Day(server, event, tokens)


@pytest.fixture
def day(live_server) -> Day:
    return start_day(live_server)


def no_foreign_requests(seen: list[str], origin: str) -> None:
    foreign = [url for url in seen if not _same_origin(url, origin)]
    assert foreign == [], foreign


# --- the kitchen --------------------------------------------------------------------------------


def test_the_kitchen_sees_a_scan_at_the_reception_within_a_second(
    day, new_page, watch_requests, screenshot
):
    not_yet = a_morning(day)
    everyone = day.people()
    here = len(everyone) - len(not_yet)
    eating = sum(1 for p in everyone if p.meals.get("lunch")) - sum(
        1 for p in not_yet if p.meals.get("lunch")
    )
    page = new_page(viewport=TV)
    seen = watch_requests(page, day.url)
    day.open(page, "caterer")
    on_site = page.locator("#meal-lunch [data-field=on_site]")
    expect(on_site).to_have_text(str(eating))
    expect(page.locator("#on-site")).to_have_text(str(here))
    page.evaluate("window.notReloaded = true")

    started = time.monotonic()
    day.scan(next(p for p in not_yet if p.meals.get("lunch")))
    expect(on_site).to_have_text(str(eating + 1), timeout=1000)
    assert time.monotonic() - started < 1.0

    expect(page.locator("#on-site")).to_have_text(str(here + 1))
    assert page.evaluate("window.notReloaded") is True
    expect(page.locator("#diets .diet")).to_have_count(6)  # the event's categories
    expect(page.locator("#meal-lunch .explanation")).to_contain_text("Verwacht:")
    screenshot(page, "caterer-1920x1080")
    no_foreign_requests(seen, day.url)
    assert any(url.startswith("ws://") and "/socket.io/" in url for url in seen)


def test_allergies_are_listed_by_name_and_markup_stays_text(day, new_page):
    markup = "<img src=x onerror=\"document.title='owned'\">"
    person = day.add(
        first_name=markup,
        last_name="Peeters",
        organisation="Lier",
        bestuur="Lier",
        meals={"lunch": True},
        diet="Notenallergie",
        diets=["allergy"],
    )
    page = day.open(new_page(viewport=TV), "caterer")

    day.scan(person)

    item = page.locator("#allergies li", has_text="Peeters")
    expect(item).to_contain_text(markup)
    expect(item).to_contain_text("Notenallergie")
    assert page.locator("#screen img").count() == 0
    assert page.title() != "owned"


def test_the_banner_says_when_the_connection_is_lost_and_when_it_is_back(day, new_page, screenshot):
    page = day.open(new_page(viewport=TV), "caterer")
    banner = page.locator("#banner")
    expect(banner).to_be_hidden()

    # The tablet's Wi-Fi drops: the browser goes offline, and the socket with it.
    page.context.set_offline(True)
    expect(banner).to_be_visible(timeout=3000)
    expect(banner).to_contain_text("Verbinding verbroken")
    expect(page.locator("#pill")).not_to_have_text("Verbonden")
    screenshot(page, "caterer-offline")
    missed = next(p for p in day.people() if p.meals.get("lunch"))
    day.scan(missed)  # while the kitchen is offline

    page.context.set_offline(False)
    expect(banner).to_contain_text("Weer verbonden", timeout=6000)
    expect(page.locator("#pill")).to_have_text("Verbonden")
    # The snapshot on reconnecting brings what happened meanwhile.
    expect(page.locator("#meal-lunch [data-field=on_site]")).to_have_text("1")
    expect(banner).to_be_hidden(timeout=6000)


def test_a_revoked_screen_goes_back_to_the_pairing_page(day, new_page):
    page = day.open(new_page(viewport=TV), "caterer")
    with day.db() as db:
        station = next(s for s in auth.list_stations(db) if s.role == "caterer")
        auth.revoke_station(db, station.id)

    page.context.set_offline(True)  # the next connection is refused: revoked
    expect(page.locator("#banner")).to_contain_text("Verbinding verbroken")
    page.context.set_offline(False)

    expect(page).to_have_url(f"{day.url}/", timeout=8000)
    expect(page.get_by_role("heading", name="Dit toestel is nog niet gekoppeld")).to_be_visible()


def crash(process) -> None:
    """SIGKILL gunicorn's master and then its worker: no goodbye to anyone (the worker
    would otherwise live on for a moment, WebSockets and all)."""
    pid = process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    process.kill()
    process.wait()
    for child in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(child), signal.SIGKILL)


def test_a_crashed_server_shows_on_the_screen_and_the_restart_catches_it_up(
    tmp_path, new_page, monkeypatch
):
    """The real thing: gunicorn in its own process, killed and started again on its port.
    The restarted server counts its snapshots from zero again; the screen must not take
    them for old ones."""
    from tests import serving

    db_path = tmp_path / "k.db"
    event = load_event()
    with connect(db_path) as db:
        import_registrations(db, event, demo_csv(event), "demo.csv")
        _station, caterer = auth.create_station(db, event, "caterer", "Keuken")
        _station, desk = auth.create_station(db, event, "reception", "Onthaal 1")
        lunch_eaters = [p for p in attendee_store.all_attendees(db) if p.meals.get("lunch")]
    first = serving.ServerProcess(db_path, *PINNED).wait_ready()
    second = None
    page = new_page(viewport=TV)
    try:
        page.goto(f"{first.url}/pair/{caterer}", wait_until="domcontentloaded")
        expect(page.locator("#pill")).to_have_text("Verbonden")
        on_site = page.locator("#meal-lunch [data-field=on_site]")
        for person in lunch_eaters[:3]:
            requests.post(
                f"{first.url}/api/scans",
                json={"code": person.badge_code},
                headers={"Authorization": f"Bearer {desk}"},
                timeout=5,
            )
        expect(on_site).to_have_text("3")

        crash(first.process)
        expect(page.locator("#banner")).to_contain_text("Verbinding verbroken", timeout=3000)
        with connect(db_path) as db:  # what the reception's outbox delivers after the restart
            for person in lunch_eaters[3:5]:
                scans.scan(db, event, Scan(person.badge_code, "onthaal"), pinned())

        monkeypatch.setattr(serving, "free_port", lambda: first.port)
        second = serving.ServerProcess(db_path, *PINNED).wait_ready()
        expect(page.locator("#banner")).to_contain_text("Weer verbonden", timeout=8000)
        expect(on_site).to_have_text("5")  # the fresh snapshot on reconnecting
    finally:
        for server in (first, second):
            if server is not None and server.process.poll() is None:
                crash(server.process)  # gunicorn's graceful stop waits on open WebSockets
            if server is not None:
                server.stop()


# --- the room host ------------------------------------------------------------------------------


@pytest.fixture
def small_room(live_server_factory, tmp_path) -> Day:
    """The bundled event with Zaal Newton (zaal-2, Mobiliteit) made a room for 7."""
    text = BUNDLED.read_text(encoding="utf-8")
    small, count = re.subn(
        r'(id = "zaal-2"\nname = "Zaal Newton"\nkind = "session"\n'
        r"capacity = )\d+",
        r"\g<1>7",
        text,
    )
    assert count == 1
    path = tmp_path / "klein.toml"
    path.write_text(small, encoding="utf-8")
    return start_day(live_server_factory(EVENT=str(path)))


def test_the_host_sees_the_room_fill_and_is_warned_near_capacity(
    small_room, new_page, watch_requests, screenshot
):
    day = small_room
    page = new_page(viewport=TABLET)
    seen = watch_requests(page, day.url)
    mobility = [p for p in day.people() if set(p.sessions.values()) == {"mobiliteit"}][:7]
    assert len(mobility) == 7
    for person in mobility:
        day.scan(person)  # checked in at the reception: on site, expected in the room
    day.open(page, "host")
    expect(page.locator("#theme")).to_have_text("Mobiliteit")
    occupancy = page.locator("#occupancy")
    expect(page.locator("#present")).to_have_text("0")
    expect(page.locator("#capacity-line")).to_have_text("van 7 plaatsen")

    for person in mobility[:5]:
        day.scan(person, "zaal-2")
    expect(page.locator("#present")).to_have_text("5")
    expect(occupancy).to_have_attribute("data-state", "ok")

    # The sixth comes in through the host's own door: a handheld scanner types and Enter.
    page.locator("#door-code").focus()
    page.keyboard.type(mobility[5].badge_code)
    page.keyboard.press("Enter")
    expect(page.locator("#door-result")).to_contain_text("Welkom")
    expect(page.locator("#present")).to_have_text("6")  # 86 %
    expect(occupancy).to_have_attribute("data-state", "nearly")
    expect(page.locator("#room-state")).to_contain_text("Zaal bijna vol")
    here = page.locator("#people li.here")
    expect(here).to_have_count(6)
    expect(page.locator("#besturen .chip").first).to_be_visible()
    screenshot(page, "host-1024x768-nearly-full")

    day.scan(mobility[6], "zaal-2")
    expect(occupancy).to_have_attribute("data-state", "full")
    expect(page.locator("#room-state")).to_have_text("Zaal vol")
    screenshot(page, "host-1024x768-full")
    no_foreign_requests(seen, day.url)


# --- the organiser ------------------------------------------------------------------------------


def a_morning(day: Day, share: float = 0.7) -> list[Attendee]:
    """Check in `share` of everyone over the hour before the tests' 09:20, busiest in the
    middle, then send a third of them to their morning room. Returns those who did not
    come."""
    people = day.people()
    random.Random(23).shuffle(people)
    arrivals = people[: int(len(people) * share)]
    start = at("08:20")
    with day.db() as db:
        for number, person in enumerate(arrivals):
            x = (number + 0.5) / len(arrivals)  # a bell-ish rush: dense in the middle
            minute = 60 * (0.5 + (x - 0.5) * abs(x - 0.5) * 2)
            scanned = EventClock.frozen(start + dt.timedelta(minutes=minute))
            scans.scan(db, day.event, Scan(person.badge_code, "onthaal"), scanned)
        for person in arrivals[::3]:
            room = (
                day.event.room_for(person.sessions["voormiddag"], "voormiddag")
                if person.sessions.get("voormiddag")
                else None
            )
            if room:
                scans.scan(db, day.event, Scan(person.badge_code, room.id), pinned())
    return people[len(arrivals) :]


def test_the_organiser_sees_the_whole_day(day, new_page, watch_requests, screenshot):
    not_yet = a_morning(day)[0].email
    with day.db() as db:
        auth.create_station(db, day.event, "reception", "Onthaal 2", "onthaal")  # never seen
    page = new_page(viewport=LAPTOP)
    seen = watch_requests(page, day.url)
    day.open(page, "organiser")

    expect(page.locator("#arrivals svg rect.bucket").first).to_be_visible()
    expect(page.locator("#arrivals svg path.total")).to_have_count(1)
    expect(page.locator("#coverage tbody tr")).to_have_count(12)  # the 12 besturen
    expect(page.locator("#coverage thead th.theme")).to_have_count(8)
    expect(page.locator("#besturen li")).to_have_count(13)  # and IGEMO
    never_seen = page.locator("#stations tr", has_text="Onthaal 2")
    expect(never_seen).to_have_class("offline")
    expect(never_seen).to_contain_text("nooit")
    expect(page.locator("#stations tr", has_text="Organisator")).to_have_class("online")
    expect(page.locator("#stations-alert")).to_contain_text("zonder contact")
    arrived = page.locator("#k-arrived")
    before = int(arrived.text_content())
    day.scan(next(p for p in day.people() if p.email == not_yet))
    expect(arrived).to_have_text(str(before + 1), timeout=1000)
    screenshot(page, "organiser-1440x900")

    page.locator(".toggle button[data-mode=registered]").click()
    expect(page.locator(".toggle button.on")).to_have_text("ingeschreven")
    page.select_option("#room-pick", label="Zaal Curie")
    expect(page).to_have_url(re.compile(r"/host\?room=zaal-3$"))
    expect(page.locator(".screen-what")).to_have_text("Zaal Curie")
    expect(page.locator("#pill")).to_have_text("Verbonden")
    no_foreign_requests(seen, day.url)
