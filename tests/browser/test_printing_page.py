"""The print queue page (/printing) at the reception desk: a Zebra out of labels fails a
badge, the page shows it in red with the printer's words and holds the badges behind it;
labels back in, "Opnieuw", and the queue goes on. Screenshots into test-artifacts/browser/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiosk import create_app
from kiosk.checkin import auth
from kiosk.registrations.importer import import_registrations
from kiosk.spooler import queue
from kiosk.store import attendees as attendee_store
from kiosk.store import connect
from kiosk.web import printing
from tests.clocks import pinned
from tests.conftest import SAMPLE
from tests.printer_fakes import FakeJetDirect


@pytest.fixture
def zebra():
    with FakeJetDirect(zebra_status={"paper_out": 1}) as printer:
        yield printer


def test_a_failed_print_is_shown_with_the_printers_words_and_retried(
        live_server_factory, tmp_path, zebra, new_page, screenshot):
    app = create_app({"DATABASE": str(tmp_path / "k.db"), "SECRET_KEY": "test", "TESTING": True,
                      "CLOCK": pinned(), "SPOOLER": "thread"})
    event = app.extensions["kiosk.event"]
    with connect(app.config["DATABASE"]) as db:
        import_registrations(db, event, SAMPLE.read_bytes(), SAMPLE.name)
        _station, token = auth.create_station(db, event, "reception", "Onthaal 1")
        printer = queue.add_printer(db, "Zebra onthaal", "zpl", {"address": zebra.address})
        people = attendee_store.all_attendees(db)[:3]
        for person in people:
            queue.enqueue(db, printer.id, person.id, "arrival")
    server = live_server_factory(app)
    try:
        page = new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{server.url}/pair/{token}", wait_until="domcontentloaded")
        printing.kick(app)
        page.goto(f"{server.url}/printing")
        failed = page.locator(".job.failed")
        expect(failed).to_have_count(1, timeout=15000)
        expect(failed.locator(".error")).to_have_text("de printer meldt: papier of labels op")
        expect(page.locator(".printer.halted .halt")).to_be_visible()
        expect(page.locator(".job.queued")).to_have_count(2)  # held, in order, not failed
        screenshot(page, "failed")
        zebra.zebra = {}  # labels back in
        failed.locator("button[data-action=retry]").click()
        expect(page.locator(".job.done")).to_have_count(3, timeout=15000)
        expect(page.locator(".printer.halted")).to_have_count(0)
        screenshot(page, "all-printed")
    finally:
        printing.stop_spooler(app)
