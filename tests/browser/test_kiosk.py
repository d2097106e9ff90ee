"""The self check-in kiosk in real Chromium, on tablets in both orientations: a guest
types a name, picks themselves, is checked in (and their badge printed on a label
printer), the screen resets by itself; staff leave kiosk mode with the PIN, and a wrong
PIN does not. Screenshots of every screen, and of reception showing a note for the door,
land in test-artifacts/browser/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kiosk.checkin import auth
from kiosk.printing.badge import render_badge
from kiosk.printing.face import face_of
from kiosk.registrations.importer import import_registrations
from kiosk.spooler import queue
from kiosk.store import attendees as attendee_store
from kiosk.store import connect, movements
from kiosk.web import printing
from tests.clocks import pinned
from tests.conftest import SAMPLE
from tests.printer_fakes import FakeJetDirect

PORTRAIT = {"width": 768, "height": 1024}
LANDSCAPE = {"width": 1024, "height": 768}


@pytest.fixture
def label_printer():
    with FakeJetDirect() as printer:  # a Brother QL on the network, answering nothing
        yield printer


@pytest.fixture
def stand(live_server_factory, tmp_path, label_printer):
    """A server with the sample imported, a kiosk (PIN 4821) with a label printer, a
    reception desk, and a spooler in a thread; the welcome stays 2 s."""
    from kiosk import create_app

    app = create_app({"DATABASE": str(tmp_path / "kiosk.db"), "SECRET_KEY": "test",
                      "TESTING": True, "CLOCK": pinned(), "SPOOLER": "thread",
                      "KIOSK_ANSWER_SECONDS": 2})
    event = app.extensions["kiosk.event"]
    with connect(app.config["DATABASE"]) as db:
        import_registrations(db, event, SAMPLE.read_bytes(), SAMPLE.name)
        station, token = auth.create_station(db, event, "kiosk", "Kiosk inkom", pin="4821")
        printer = queue.add_printer(db, "Labels kiosk", "brother_ql",
                                    {"address": label_printer.address, "label": "62x29"})
        auth.configure(db, station.id, printer_id=printer.id)
        _desk, desk_token = auth.create_station(db, event, "reception", "Onthaal 1")
    server = live_server_factory(app)
    yield server, token, desk_token
    printing.stop_spooler(app)


def open_kiosk(new_page, server, token, viewport):
    page = new_page(viewport=viewport)
    page.goto(f"{server.url}/pair/{token}", wait_until="domcontentloaded")
    expect(page).to_have_url(re.compile(r"/kiosk$"))
    expect(page.locator("#name")).to_be_focused()
    return page


def checked_in(server, first_name: str) -> bool:
    with connect(server.app.config["DATABASE"]) as db:
        person = next(a for a in attendee_store.all_attendees(db) if a.first_name == first_name)
        return any(m.attendee_id == person.id for m in movements.live_entries(db))


@pytest.mark.parametrize("viewport", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_a_guest_types_a_name_picks_themselves_is_checked_in_and_the_screen_resets(
        stand, new_page, screenshot, label_printer, viewport):
    """Typing 'kaat' lists a few people (never before typing); tapping Kaat checks her in:
    "Welkom, Kaat!" with her session and room, her badge printed on the kiosk's label
    printer, then the start screen again, empty, by itself."""
    server, token, _ = stand
    page = open_kiosk(new_page, server, token, viewport)
    expect(page.locator("#matches li")).to_have_count(0)
    screenshot(page, "start")
    page.locator("#name").type("kaat")
    matches = page.locator("#matches .kiosk-match")
    expect(matches.first).to_be_visible(timeout=5000)
    assert 1 <= matches.count() <= 4
    expect(page.locator("#find-state")).to_have_text("Ben jij dit? Tik op je naam.")
    screenshot(page, "matches")
    matches.filter(has_text="Kaat").first.click()
    answer = page.locator("#answer")
    expect(answer).to_be_visible()
    expect(answer.locator(".answer-title")).to_have_text("Welkom, Kaat!")
    expect(answer.locator(".answer-where")).to_contain_text("Zaal")
    expect(answer.locator(".answer-print")).to_have_text("Je badge ligt klaar in de printer.",
                                                         timeout=10000)
    screenshot(page, "welcome")
    assert checked_in(server, "Kaat")
    assert label_printer.received  # the label went to the printer
    expect(answer).to_be_hidden(timeout=10000)  # reset by itself
    expect(page.locator("#name")).to_have_value("")
    expect(page.locator("#matches li")).to_have_count(0)
    expect(page.locator("#name")).to_be_focused()


def test_a_guest_shows_their_badge_to_the_camera(stand, camera_browser, new_page, screenshot):
    """The kiosk's camera reads the badge held up to it: welcome, and back to the start."""
    server, token, _ = stand
    with connect(server.app.config["DATABASE"]) as db:
        person = next(a for a in attendee_store.all_attendees(db) if a.first_name == "Nico")
    badge = render_badge(face_of(person), server.app.extensions["kiosk.event"])
    page = new_page(camera_browser(badge), viewport=PORTRAIT)
    page.goto(f"{server.url}/pair/{token}", wait_until="domcontentloaded")
    expect(page.locator("#answer .answer-title")).to_have_text("Welkom, Nico!", timeout=10000)
    screenshot(page, "welcome-by-camera")
    assert checked_in(server, "Nico")


def test_an_unknown_guest_is_sent_to_reception_in_english_too(stand, new_page, screenshot):
    """A name nobody has: "not found" and where to get help; a forged code typed by a
    scanner: the blue "go to reception" screen, in English once the guest switched."""
    server, token, _ = stand
    page = open_kiosk(new_page, server, token, PORTRAIT)
    page.locator("#name").type("Zzyzx")
    expect(page.locator("#find-state")).to_contain_text("We vinden niemand")
    page.locator("#lang").click()
    expect(page.locator("h1")).to_have_text("Welcome!")
    page.locator("#name").fill("7KQ2M4XPA9Z3B6HC5")  # the shape of a code, not ours
    page.locator("#name").press("Enter")
    answer = page.locator("#answer")
    expect(answer).to_have_class(re.compile(r"\bhelp\b"))
    expect(answer.locator(".answer-title")).to_have_text("Please go to the reception desk")
    screenshot(page, "help")
    expect(answer).to_be_hidden(timeout=10000)
    expect(page.locator("h1")).to_have_text("Welkom!")  # the next guest starts in Dutch


def test_the_pin_leaves_kiosk_mode_and_a_wrong_pin_does_not(stand, new_page, screenshot):
    """The staff button asks for the PIN: a wrong one is refused and the kiosk stays; the
    right one (typed on the keypad) leaves kiosk mode: the start page, unpaired. The back
    button does not bring the kiosk back."""
    server, token, _ = stand
    page = open_kiosk(new_page, server, token, LANDSCAPE)
    page.locator("#staff").click()
    dialog = page.locator("#pin-dialog")
    expect(dialog).to_be_visible()
    page.locator("#pin").fill("1111")
    page.locator("#pin-leave").click()
    expect(page.locator("#pin-error")).to_have_text("Foute pincode")
    screenshot(page, "wrong-pin")
    expect(page).to_have_url(re.compile(r"/kiosk$"))
    for key in "4821":
        dialog.locator(f".pin-key[data-key='{key}']").click()
    dialog.locator(".pin-key[data-key='OK']").click()
    expect(page).to_have_url(f"{server.url}/", timeout=10000)
    expect(page.locator("body")).to_contain_text("koppel", ignore_case=True)
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"/kiosk$"))


def test_reception_shows_the_note_for_the_door_in_its_own_colour(stand, new_page, screenshot):
    """A speaker scanned at reception: the green welcome carries her note on a magenta
    band, as text (markup and all)."""
    server, _, desk_token = stand
    with connect(server.app.config["DATABASE"]) as db:
        person = next(a for a in attendee_store.all_attendees(db) if a.first_name == "Kaat")
        from kiosk.store import now, transaction
        with transaction(db):
            attendee_store.set_note(db, person.id, "Spreker — naar de sprekerstafel <b>", now())
    page = new_page(viewport=LANDSCAPE)
    page.goto(f"{server.url}/pair/{desk_token}", wait_until="domcontentloaded")
    expect(page.locator("#wedge")).to_be_focused()
    page.keyboard.type(person.badge_code)
    page.keyboard.press("Enter")
    note = page.locator("#verdict .verdict-note")
    expect(note).to_have_text("Spreker — naar de sprekerstafel <b>")
    colour = note.evaluate("n => getComputedStyle(n).backgroundColor")
    assert colour == "rgb(255, 214, 245)"
    screenshot(page, "reception-note")
