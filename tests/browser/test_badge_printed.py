"""The reception's print button (issue 11, D13): opening the badge PDF marks nothing; the
tap on "Badge afdrukken" tells the server the badge was printed (a POST)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiosk.store import attendees, connect
from tests.browser.test_reception import LANDSCAPE, verdict


@pytest.fixture
def tablet(desk, new_page):
    return desk.open(new_page(viewport=LANDSCAPE))


def printed_version(desk, person) -> int:
    with connect(desk.server.app.config["DATABASE"]) as db:
        return attendees.get(db, person.id).printed_version


def test_the_print_button_marks_the_badge_printed_and_the_pdf_alone_does_not(desk, tablet):
    pieter = desk.person("Pieter", "Çelik")
    pdf = tablet.request.get(f"{desk.server.url}/api/attendees/{pieter.id}/badge.pdf")
    assert pdf.ok and printed_version(desk, pieter) == 0  # a GET: nothing changes
    tablet.click("#search")
    tablet.keyboard.type("celik")
    tablet.locator("#results li", has_text="Pieter Çelik").get_by_role(
        "button", name="Aanmelden").click()
    link = verdict(tablet).get_by_role("link", name="Badge afdrukken")
    with tablet.expect_request(lambda r: r.url.endswith(f"/attendees/{pieter.id}/printed")
                               and r.method == "POST") as marked, \
            tablet.context.expect_page() as opened:
        link.click()
    assert marked.value.response().status == 200
    opened.value.close()
    assert printed_version(desk, pieter) == 1
    expect(tablet.locator("#search")).to_be_visible()
