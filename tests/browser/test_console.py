"""The organiser's console in real Chromium, against one server shared by the module.

The organiser drops the shared sample (with two damaged rows added) on the import page,
sees the preview with the rejected rows, confirms and finds the attendees; prints one
bestuur's badges and downloads the PDF; pairs a tablet from the console's stations page.
Then every console page is photographed at the laptop, desktop and tablet sizes
(test-artifacts/browser/, opened and judged by whoever changes them).
"""

from __future__ import annotations

import base64
import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from kiosk import create_app
from kiosk.checkin import auth
from kiosk.event import load_event
from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees as attendee_store
from kiosk.store import connect
from tests.browser.conftest import _same_origin
from tests.browser.server import LiveServer
from tests.clocks import pinned
from tests.conftest import SAMPLE

BAD_ROWS = b"Geen;Mail;;Lier;;;;;;;\r\nAn;Smet;an.smet@lier;Lier;;;;;;;\r\n"
SIZES = {"laptop": {"width": 1280, "height": 800}, "desktop": {"width": 1920, "height": 1080},
         "tablet": {"width": 768, "height": 1024}, "tablet-landscape": {"width": 1024,
                                                                         "height": 768}}
WAIT = 30_000  # ms: the machine is shared and slow; a badge run takes seconds


@pytest.fixture(scope="module")
def console(tmp_path_factory):
    """One server for the module, and an organiser's pairing link."""
    folder = tmp_path_factory.mktemp("console")
    app = create_app({"DATABASE": str(folder / "k.db"), "SECRET_KEY": "t", "TESTING": True,
                      "CLOCK": pinned()})
    with connect(folder / "k.db") as db:
        _station, token = auth.create_station(db, app.extensions["kiosk.event"], "organiser",
                                              "Organisator")
    server = LiveServer(app).start()
    yield {"server": server, "url": server.url, "token": token, "db": folder / "k.db"}
    server.stop()


@pytest.fixture
def organiser(console, new_page):
    """`organiser(**viewport)` -> a page in a browser paired as the organiser."""
    def make(size: str = "laptop"):
        page = new_page(viewport=SIZES[size])
        page.goto(f"{console['url']}/pair/{console['token']}")
        return page
    return make


def drop_file(page, selector: str, name: str, data: bytes) -> None:
    """Drag a file onto the page, as from the file manager."""
    transfer = page.evaluate_handle(
        """([name, encoded]) => {
            const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: "text/csv"}));
            return transfer;
        }""", [name, base64.b64encode(data).decode()])
    page.dispatch_event(selector, "dragover", {"dataTransfer": transfer})
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def test_import_the_sample_through_the_console_and_find_the_attendees(console, organiser,
                                                                       screenshot,
                                                                       watch_requests):
    """Drop the file, read the preview (48 new, rows 50 and 51 rejected, why), confirm,
    watch the import finish, and search the list for a name."""
    page = organiser()
    seen = watch_requests(page, console["url"])
    page.goto(f"{console['url']}/organiser/import")
    drop_file(page, ".dropzone", "inschrijvingen-strategio.csv", SAMPLE.read_bytes() + BAD_ROWS)
    expect(page.locator("h1")).to_contain_text("inschrijvingen-strategio.csv", timeout=WAIT)
    expect(page.locator('[data-count="added"]')).to_have_text("48")
    expect(page.locator('[data-count="rejected"]')).to_have_text("2")
    rejected = page.locator("#rejected tbody tr")
    expect(rejected).to_have_count(2)
    expect(rejected.nth(0)).to_contain_text("50")
    expect(rejected.nth(0)).to_contain_text("e-mailadres ontbreekt")
    expect(rejected.nth(1)).to_contain_text("ongeldig e-mailadres")
    expect(page.locator("table.first-rows")).to_contain_text("Yasmine El Amrani")
    screenshot(page, "preview")
    with connect(console["db"]) as db:
        assert attendee_store.all_attendees(db) == []  # only a preview so far
    page.get_by_role("button", name=re.compile("^Importeren")).click()
    expect(page.locator(".flash.ok")).to_contain_text("Geïmporteerd", timeout=WAIT)
    expect(page.locator('[data-count="added"]')).to_have_text("48")
    page.locator(".flash.ok a").click()
    page.get_by_role("searchbox").fill("mertens")
    rows = page.locator("table.people tbody tr")
    mertens = sum("mertens" in line.lower()
                  for line in SAMPLE.read_text(encoding="utf-8-sig").splitlines()[1:])
    expect(rows).to_have_count(mertens, timeout=WAIT)  # typed, not submitted: it follows
    expect(rows.first).to_contain_text("mertens@")
    assert "q=mertens" in page.url
    screenshot(page, "attendees-search")
    assert [url for url in seen if not _same_origin(url, console["url"])] == []


def test_print_one_bestuurs_badges_and_get_the_pdf(console, organiser):
    """Badges → one bestuur (Mechelen), CR80 → the progress, then the PDF: one page per
    Mechelen badge."""
    with connect(console["db"]) as db:
        mechelen = [p for p in attendee_store.printable(db) if p.bestuur == "Mechelen"]
    assert mechelen, "the import test runs first and brings the sample"
    page = organiser()
    page.goto(f"{console['url']}/organiser/badges")
    page.locator('input[name=who][value=bestuur]').check()
    page.locator("select[name=bestuur]").select_option("Mechelen")
    page.locator('input[name=layout][value=cr80]').check()
    page.get_by_role("button", name="PDF maken").click()
    link = page.locator(".job .job-files a").first
    expect(link).to_contain_text("badges-cr80-mechelen.pdf", timeout=WAIT)
    expect(page.locator(".job .job-state").first).to_have_text("klaar")
    pdf = page.request.get(console["url"] + link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.body())).pages) == len(mechelen)


def test_pair_a_station_from_the_console(console, organiser, new_page):
    """Posten in the bar → a new reception station → its QR code → the tablet that scans
    it is paired and lands on the reception page."""
    page = organiser()
    page.goto(f"{console['url']}/organiser/registrations")
    page.locator('.console-nav a[data-nav="stations"]').click()
    page.get_by_label("Naam").fill("Onthaal 2")
    page.get_by_label("Rol").select_option("reception")
    page.get_by_role("button", name="Aanmaken").click()
    qr = page.locator(".pair-qr img")
    expect(qr).to_be_visible(timeout=WAIT)
    encoded = qr.get_attribute("src").split(",", 1)[1]
    url = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(encoded))))[0].text
    assert url.startswith(f"{console['url']}/pair/")
    expect(page.locator('.console-nav a[data-nav="stations"]')).to_have_attribute(
        "aria-current", "page")
    tablet = new_page(viewport=SIZES["tablet"])
    tablet.goto(url)
    expect(tablet).to_have_url(f"{console['url']}/reception", timeout=WAIT)


def test_every_console_page_at_every_size(console, organiser, screenshot):
    """Each page of the console (and the dashboard with its bar) at 1280×800, 1920×1080
    and the two tablet sizes: nothing wider than the screen, the bar on every one."""
    with connect(console["db"]) as db:
        if not attendee_store.all_attendees(db):  # run on its own: the sample, imported
            import_registrations(db, load_event(), SAMPLE.read_bytes(), "lijst.csv")
        someone = attendee_store.all_attendees(db)[0]
    for size in SIZES:
        page = organiser(size)
        page.goto(f"{console['url']}/organiser/import")
        page.locator("input[type=file]").set_input_files({
            "name": "lijst.csv", "mimeType": "text/csv", "buffer": SAMPLE.read_bytes()})
        page.get_by_role("button", name="Voorbeeld bekijken").click()
        expect(page.locator('[data-count="unchanged"]')).to_have_text("48", timeout=WAIT)
        pages = {"preview": page.url, "attendees": "/organiser/registrations",
                 "person": f"/organiser/registrations/{someone.id}",
                 "import": "/organiser/import", "import-log": "/organiser/imports/1",
                 "badges": "/organiser/badges", "report": "/organiser/report",
                 "stations": "/organiser/stations/", "dashboard": "/organiser"}
        for name, path in pages.items():
            page.goto(path if path.startswith("http") else console["url"] + path)
            expect(page.locator(".console-nav")).to_be_visible(timeout=WAIT)
            if name == "person":
                expect(page.locator(".badge-preview")).to_have_js_property("complete", True,
                                                                            timeout=WAIT)
            wide = page.evaluate("document.documentElement.scrollWidth")
            if name != "dashboard" or not size.startswith("tablet"):  # a laptop's screen
                assert wide <= SIZES[size]["width"], f"{name} at {size}: {wide} px wide"
            screenshot(page, f"{name}-{size}")
