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


SIZES = {"phone": (390, 844), "tablet-portrait": (768, 1024), "tablet-landscape": (1024, 768),
         "laptop": (1280, 800), "full-hd": (1920, 1080)}

# Where each cell's text starts, and where its column's header starts.
TEXT_STARTS = """() => {
  const start = (cell) => { const r = document.createRange(); r.selectNodeContents(cell);
                             return Math.round(r.getBoundingClientRect().left); };
  const heads = [...document.querySelectorAll(".station-list th")].map(start);
  return [...document.querySelectorAll(".station-list tbody tr")].map(
    (row) => [...row.cells].slice(0, 4).map((cell, i) => [start(cell), heads[i]]));
}"""


def organiser_page(live_server, new_page, size):
    app = live_server.app
    with connect(app.config["DATABASE"]) as db:
        event = app.extensions["kiosk.event"]
        _station, token = auth.create_station(db, event, "organiser", "Organisator")
        auth.create_station(db, event, "host", "Zaalverantwoordelijke Zaal Newton", "zaal-1")
    page = new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(f"{live_server.url}/pair/{token}", wait_until="domcontentloaded")
    return page


def test_the_station_table_lines_up_and_the_page_fits_every_size(live_server, new_page,
                                                                  screenshot):
    for name, size in SIZES.items():
        page = organiser_page(live_server, new_page, size)
        page.goto(f"{live_server.url}/organiser/stations/")
        page.fill("input[name=name]", f"Onthaal {name}")
        page.click("button:has-text('Aanmaken')")
        expect(page.locator(".paired")).to_contain_text(f"Onthaal {name}")
        expect(page.locator(".address-warning")).to_contain_text("wijst naar 127.0.0.1")
        for row in page.evaluate(TEXT_STARTS):
            for cell, head in row:
                assert abs(cell - head) <= 2, (name, row)
        screenshot(page, f"stations-{name}")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name


def test_the_organiser_reaches_the_stations_page_from_the_dashboard(live_server, new_page):
    page = organiser_page(live_server, new_page, SIZES["full-hd"])
    page.goto(f"{live_server.url}/organiser")
    page.locator('a[data-nav="stations"]').first.click()
    expect(page).to_have_url(f"{live_server.url}/organiser/stations/")
    expect(page.locator("h1")).to_have_text("Posten en tablets")


def test_error_pages_fit_a_phone_and_a_laptop(live_server, new_page, screenshot):
    for name in ("phone", "laptop"):
        page = new_page(viewport=dict(zip(("width", "height"), SIZES[name], strict=True)))
        page.goto(f"{live_server.url}/pair/verlopen-code")
        expect(page.locator("main.error")).to_contain_text("nieuwe koppelcode")
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
        screenshot(page, f"error-pairing-{name}")
        page.get_by_role("link", name="English").click()
        expect(page.locator("main.error")).to_contain_text("new pairing code")
        screenshot(page, f"error-pairing-{name}-en")
