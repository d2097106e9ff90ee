"""The device matrix: every station page at the six screen sizes it will meet, in Dutch
and in English, with the data that breaks layouts (names of 40 characters,
Sint-Katelijne-Waver, all 12 besturen in one room, long allergies).

For each page and size it asserts that no text is clipped or runs out of its box (an
element's scroll size against its client size, and against the box of the ancestor that
clips it), that nothing lies outside the viewport horizontally, and that no two sibling
boxes overlap. The findings of each case land in test-artifacts/devices/ (gitignored) as a
.txt, with a screenshot of the viewport: every Dutch one (docs/contact_sheet.py composes them
into docs/contact-sheet.png), an English one when something is wrong, or all of them with
KIOSK_DEVICE_SHOTS=all.

Fast by design: one server and one Chromium for the module, one page per (role,
language) that is only resized between sizes (a resize is what a tablet turning does).

    CI=true .venv/bin/python -m pytest -q -m devices tests/browser/test_devices.py
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from kiosk import create_app
from kiosk.checkin import auth, scans
from kiosk.checkin.scans import Scan
from kiosk.registrations.demo import DEMO_STATIONS, demo_csv
from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees as attendee_store
from kiosk.store import connect
from tests.browser.conftest import ARTIFACTS
from tests.browser.server import LiveServer
from tests.clocks import pinned

pytestmark = pytest.mark.devices

SIZES = [(390, 844), (768, 1024), (1024, 768), (1280, 800), (1440, 900), (1920, 1080)]
LANGUAGES = ("nl", "en")
# Pictures of the English pages too (else only when something is wrong): a second look.
ALL_SHOTS = os.environ.get("KIOSK_DEVICE_SHOTS") == "all"
OUT = ARTIFACTS.parent / "devices"
# page name -> (role whose station opens it, path). The start page is seen unpaired.
PAGES = {
    "start": (None, "/"),
    "reception": ("reception", "/reception"),
    "host": ("host", "/host"),
    "kitchen": ("caterer", "/caterer"),
    "organiser": ("organiser", "/organiser"),
    "overzicht": ("organiser", "/overzicht"),
    "stations": ("organiser", "/organiser/stations/"),
    "kiosk": ("kiosk", "/kiosk"),
    "printing": ("reception", "/printing"),
    "console": ("organiser", "/organiser/registrations"),
}
BESTUREN = ["Berlaar", "Bonheiden", "Bornem", "Duffel", "Heist-op-den-Berg", "Lier",
            "Mechelen", "Nijlen", "Putte", "Puurs-Sint-Amands", "Sint-Katelijne-Waver",
            "Willebroek"]
# 40 characters each, first + last name: the longest a badge list meets.
LONG = [("Marie-Christine", "Van Ransbeeck-De Wachter"),
        ("Jean-Pierre", "Vanden Bossche-Verhaegen Op"),
        ("Anne-Sophie", "Van de Velde-Vermeulen Smets"),
        ("Gert-Jan", "Op de Beeck-Van Looy Lambrechts")]
ALLERGIES = ["Allergie voor schaaldieren, weekdieren en selder (ernstig)",
             "Notenallergie: ook geen sporen van noten of pindaolie",
             "Lactose-intolerant en allergisch voor kiwi en mosterd"]


def long_rows() -> list[list[str]]:
    """One person of every bestuur in Mobiliteit (Zaal Newton), most with a long name, and
    a few with long allergies who eat lunch."""
    rows = []
    for number, bestuur in enumerate(BESTUREN):
        first, last = LONG[number % len(LONG)]
        first = first if number < 8 else "Sofie"
        diet = ALLERGIES[number % len(ALLERGIES)] if number < 6 else ""
        email = f"lang.{number}@{bestuur.lower()}.be"
        rows.append([first, last, email, bestuur, "Strategisch coördinator omgeving",
                     "Mobiliteit", "Mobiliteit", "ja", diet, "ja", ""])
    return rows


def build_day(folder: Path):
    """The server: demo registrations plus the long ones, a morning of arrivals, every
    station; the clock stands at 10:40 (the morning sessions are on)."""
    app = create_app({"DATABASE": str(folder / "k.db"), "SECRET_KEY": "devices",
                      "TESTING": True, "CLOCK": pinned("10:40")})
    event = app.extensions["kiosk.event"]
    extra = "\r\n".join(";".join(r) for r in long_rows()).encode() + b"\r\n"
    tokens = {}
    with connect(folder / "k.db") as db:
        import_registrations(db, event, demo_csv(event) + extra, "demo.csv")
        people = attendee_store.all_attendees(db)
        for number, person in enumerate(people):
            if person.email.startswith("lang.") or number % 10 < 7:
                moment = pinned(f"{8 + number % 2:02d}:{10 + number % 50:02d}")
                scans.scan(db, event, Scan(person.badge_code, "onthaal"), moment)
            if person.email.startswith("lang.") or number % 4 == 0:
                room = event.room_for(person.sessions.get("voormiddag", ""), "voormiddag") \
                    if person.sessions.get("voormiddag") else None
                if room and (person.email.startswith("lang.") or room.id != "zaal-2"):
                    scans.scan(db, event, Scan(person.badge_code, room.id, str(uuid.uuid4())),
                               pinned("10:05"))
        for role, name, location, pin in [
            ("reception", "Onthaal 1 · ingang Technopolis", "onthaal", None),
            ("host", "Zaalverantwoordelijke Zaal Newton", "zaal-2", None),
            ("caterer", "Keuken", None, None),
            ("organiser", "Organisator IGEMO", None, None),
            ("kiosk", "Zelf aanmelden · zuil bij de ingang", "onthaal", "2468"),
        ]:
            _station, tokens[role] = auth.create_station(db, event, role, name, location, pin)
    app.config["DEMO_STATIONS"] = {
        role: {"token": tokens[role], "label": DEMO_STATIONS[role][0]} for role in DEMO_STATIONS}
    return app, tokens


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    app, tokens = build_day(tmp_path_factory.mktemp("devices"))
    server = LiveServer(app).start()
    yield {"server": server, "url": server.url, "tokens": tokens, "app": app}
    server.stop()


@pytest.fixture(scope="module")
def tabs(day, browser):
    """One open page per (page, language), made on first use and resized after that."""
    contexts: dict[tuple, object] = {}
    opened: dict[tuple, object] = {}

    def get(name: str, lang: str):
        if (name, lang) not in opened:
            role, path = PAGES[name]
            if (role, lang) not in contexts:
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                if role:  # paired as that station: the cookie, without loading its page
                    pairing = context.request.get(f"{day['url']}/pair/{day['tokens'][role]}",
                                                  max_redirects=0)
                    assert pairing.status == 302, pairing.status
                contexts[(role, lang)] = context
            for done in opened.values():  # one live page at a time: less for the CPU
                if not done.is_closed():
                    done.close()
            page = contexts[(role, lang)].new_page()
            page.goto(f"{day['url']}{path}?lang={lang}", wait_until="domcontentloaded")
            opened[(name, lang)] = page
        if opened[(name, lang)].is_closed():
            del opened[(name, lang)]
            return get(name, lang)
        return opened[(name, lang)]

    yield get
    for context in contexts.values():
        for page in context.pages:
            page.unroute_all(behavior="ignoreErrors")
        context.close()


# The checks, in the page: a list of findings, each one line a person can act on.
CHECK = Path(__file__).with_name("layout_check.js").read_text()

CASES = [(name, lang, size) for name in PAGES for lang in LANGUAGES for size in SIZES]


@pytest.mark.parametrize(("name", "lang", "size"), CASES,
                         ids=[f"{n}-{lang}-{w}x{h}" for n, lang, (w, h) in CASES])
def test_page_fits_the_device(tabs, name, lang, size):
    page = tabs(name, lang)
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate(SETTLE)
    OUT.mkdir(parents=True, exist_ok=True)
    findings = page.evaluate(CHECK)
    if name == "organiser" and width >= 1920:  # made for this screen: all of it at once
        tall = page.evaluate("document.documentElement.scrollHeight")
        if tall > height:
            findings.append(f"the page is {tall} px tall on a {height} px screen")
    if name == "host":
        findings += besturen_in_sight(page, width >= 700)
    stem = f"{name}-{lang}-{width}x{height}"
    (OUT / f"{stem}.txt").write_text("".join(f"{line}\n" for line in findings))  # to act on
    if lang == "nl" or findings or ALL_SHOTS:  # the Dutch ones make the contact sheet
        page.screenshot(path=str(OUT / f"{stem}.png"))
    assert findings == [], f"{name} ({lang}) at {width}x{height}:\n" + "\n".join(findings)


def besturen_in_sight(page, on_one_screen: bool) -> list[str]:
    """All 12 besturen of Zaal Newton as chips; on a tablet or larger, all on the screen at
    once (no clipped or scrolled-away Willebroek)."""
    chips = page.locator("#besturen .chip")
    names = chips.all_inner_texts()
    findings = [] if sorted(names) == BESTUREN else [f"besturen shown: {names}"]
    if on_one_screen:
        outside = page.evaluate("""() => [...document.querySelectorAll("#besturen .chip")]
            .filter((c) => { const r = c.getBoundingClientRect();
                             return r.top < 0 || r.bottom > innerHeight || r.right > innerWidth; })
            .map((c) => c.textContent)""")
        findings += [f"bestuur {chip} is not on the screen" for chip in outside]
    return findings


def test_reception_on_a_phone_with_its_keyboard_open(tabs):
    """The keyboard takes half of a phone's height: the search field stays in its card
    (issue 12: it stuck out), because on a phone the desk scrolls as a page."""
    page = tabs("reception", "nl")
    page.set_viewport_size({"width": 390, "height": 420})
    page.evaluate(SETTLE)
    page.locator("#search").fill("Van Ransbeeck")
    page.locator("#results li").first.wait_for()
    findings = page.evaluate(CHECK)
    page.screenshot(path=str(OUT / "reception-nl-390x420-keyboard.png"))
    assert findings == [], "\n".join(findings)
    card = page.locator(".find").bounding_box()
    field = page.locator("#search").bounding_box()
    assert card["x"] <= field["x"] and field["x"] + field["width"] <= card["x"] + card["width"]
    assert card["y"] <= field["y"] and field["y"] + field["height"] <= card["y"] + card["height"]


def test_the_kitchen_after_the_last_meal(tabs, day):
    """After the tapas the tile says "afgelopen": in full at 1280x800 (issue 12)."""
    clock = day["app"].extensions["kiosk.clock"]
    day["app"].extensions["kiosk.clock"] = pinned("20:30")
    try:
        page = tabs("kitchen", "nl")
        page.set_viewport_size({"width": 1280, "height": 800})
        page.reload(wait_until="load")
        page.evaluate(SETTLE)
        assert page.locator("#next-in").inner_text() == "afgelopen"
        page.screenshot(path=str(OUT / "kitchen-evening-nl-1280x800.png"))
        assert page.evaluate(CHECK) == []
    finally:
        day["app"].extensions["kiosk.clock"] = clock
        page.reload(wait_until="load")


# After a resize: the fonts, two frames, and the pages that refit 150 ms after a resize:
# the kitchen (it says for which size it last fitted) and the organiser's curve (drawn at
# its box's width). At most 3 s: a loaded machine runs timers late.
SETTLE = """async () => {
  await document.fonts.ready;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  await frame(); await frame();
  const size = `${innerWidth}x${innerHeight}`;
  const done = () => {
    if (document.body.classList.contains("screen-caterer")) {
      return document.body.dataset.fittedFor === size;
    }
    const chart = document.querySelector("#arrivals");
    const svg = chart && chart.querySelector("svg");
    return !svg || Number(svg.getAttribute("width")) === Math.max(320, chart.clientWidth || 600);
  };
  for (const started = Date.now(); !done() && Date.now() - started < 3000;) await frame();
  await frame();
}"""
