"""The camera scanner and the wedge helper (static/js/scanner.js) in real Chromium.

A generated QR code is shown to Chromium's fake camera; the vendored zxing-wasm decoder must
read it with nothing fetched from anywhere but our own server, under a strict CSP.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import qrcode
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from kiosk import create_app
from kiosk.registrations import codes
from tests.browser import fakecam, pages
from tests.browser.server import LiveServer

PAGE = "/__test__/scanner"
VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server for the module: these tests only read static files and the test page."""
    folder = tmp_path_factory.mktemp("scanner")
    app = create_app({"DATABASE": str(folder / "k.db"), "SECRET_KEY": "test", "TESTING": True})
    with LiveServer(pages.register(app)) as live:
        yield live


def qr_image(text: str):
    return qrcode.make(text).get_image()


def scan_log(page) -> dict:
    return page.evaluate("() => window.scanLog")


def test_the_vendored_wasm_is_the_build_the_decoder_expects():
    wasm = (VENDOR / "zxing-wasm" / "zxing_reader.wasm").read_bytes()
    decoder = (VENDOR / "barcode-detector" / "zxing-exported.js").read_text()

    assert hashlib.sha256(wasm).hexdigest() in decoder


def test_fake_camera_frame_is_i420_and_still_decodes(tmp_path):
    code = codes.new_code()
    path = fakecam.write_y4m(qr_image(code), tmp_path / "qr.y4m")

    data = path.read_bytes()
    assert data.startswith(b"YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\nFRAME\n")
    assert len(data) == len(fakecam.HEADER) + len(b"FRAME\n") + 640 * 480 * 3 // 2
    assert [r.text for r in zxingcpp.read_barcodes(fakecam.read_y4m_frame(path))] == [code]


def test_a_whole_badge_page_fits_the_frame_with_its_qr_readable(tmp_path):
    code = codes.new_code()
    badge = Image.new("RGB", (1240, 1748), "white")  # A6 at 300 dpi, QR in a corner
    badge.paste(qr_image(code).resize((370, 370)), (800, 1300))

    frame = fakecam.read_y4m_frame(fakecam.write_y4m(badge, tmp_path / "badge.y4m"))

    assert frame.size == (640, 480)
    assert [r.text for r in zxingcpp.read_barcodes(frame)] == [code]


def test_camera_reads_a_badge_with_the_vendored_decoder_only(
    server, camera_browser, new_page, watch_requests, screenshot
):
    code = codes.new_code()
    page = new_page(camera_browser(qr_image(code)))
    requests = watch_requests(page, server.url)

    page.goto(server.url + PAGE)

    expect(page.locator("#codes li")).to_have_text([code], timeout=5000)
    expect(page.locator("#state")).to_have_text("scanning")
    shot = screenshot(page, "decoded")
    assert shot.stat().st_size > 0
    assert server.url + "/static/vendor/zxing-wasm/zxing_reader.wasm" in requests
    assert all(url.startswith(server.url + "/") for url in requests), requests
    assert scan_log(page)["violations"] == []


def test_a_badge_held_in_view_is_one_scan(server, camera_browser, new_page):
    code = codes.new_code()
    browser = camera_browser(qr_image(code))
    held, undamped = new_page(browser), new_page(browser)
    held.goto(server.url + PAGE)
    undamped.goto(server.url + PAGE + "?dedupe=0")  # the same page without the quiet time
    expect(held.locator("#codes li")).to_have_text([code], timeout=5000)

    held.wait_for_timeout(1200)

    assert scan_log(held)["codes"] == [code]
    assert len(scan_log(undamped)["codes"]) >= 4  # it did keep decoding the badge


def test_two_pages_can_show_two_badges_at_once(server, camera_browser, new_page):
    first, second = codes.new_code(), codes.new_code()
    page = new_page(camera_browser(qr_image(first)))
    page.goto(server.url + PAGE)
    expect(page.locator("#codes li")).to_have_text([first], timeout=5000)

    other = new_page(camera_browser(qr_image(second)))  # while the first page still scans
    other.goto(server.url + PAGE)

    expect(other.locator("#codes li")).to_have_text([second], timeout=5000)


def test_stop_releases_the_camera(server, camera_browser, new_page):
    page = new_page(camera_browser(qr_image(codes.new_code())))
    page.goto(server.url + PAGE)
    expect(page.locator("#state")).to_have_text("scanning", timeout=5000)

    page.evaluate("() => window.scanner.stop()")

    expect(page.locator("#state")).to_have_text("stopped")
    assert page.evaluate("() => document.getElementById('video').srcObject") is None


def test_without_a_camera_the_page_hears_why(server, new_page):
    page = new_page()  # Chromium launched without a (fake) camera
    page.goto(server.url + PAGE)

    expect(page.locator("#state")).to_have_text("no-camera (not-found)", timeout=5000)


def test_a_refused_camera_is_reported_as_denied(server, new_page):
    page = new_page()
    # What the browser answers after "Don't allow" (an init script is not subject to the CSP).
    page.add_init_script(
        "navigator.mediaDevices.getUserMedia = () =>"
        " Promise.reject(new DOMException('refused', 'NotAllowedError'));"
    )
    page.goto(server.url + PAGE)

    expect(page.locator("#state")).to_have_text("denied (camera)", timeout=5000)


def test_plain_http_on_a_lan_address_has_no_camera(server, camera_browser, new_page):
    """A tablet that opens the server by LAN address without HTTPS: no mediaDevices."""
    page = new_page(camera_browser(qr_image(codes.new_code())))
    lan = "http://kiosk.lan:8080"
    # Answered by the test server through Playwright: the page believes it is on kiosk.lan.
    page.route(
        lan + "/**",
        lambda route: route.fulfill(
            response=route.fetch(url=route.request.url.replace(lan, server.url))
        ),
    )

    page.goto(lan + PAGE)

    expect(page.locator("#state")).to_have_text("no-camera (insecure-context)", timeout=5000)


def wedge_page(server, new_page):
    page = new_page()
    page.goto(server.url + PAGE + "?camera=off")
    expect(page.locator("#wedge")).to_be_focused()
    return page


def test_a_wedge_scanner_types_the_code_and_enter(server, new_page):
    code = codes.new_code()
    page = wedge_page(server, new_page)

    page.keyboard.type(code)
    page.keyboard.press("Enter")

    expect(page.locator("#wedge-codes li")).to_have_text([code])
    expect(page.locator("#wedge")).to_have_value("")
    assert page.locator("#wedge").get_attribute("inputmode") == "none"


def test_the_wedge_takes_the_focus_back_but_not_from_a_text_field(server, new_page):
    page = wedge_page(server, new_page)

    page.click("#button")
    expect(page.locator("#wedge")).to_be_focused()

    page.click("#search")
    page.keyboard.type("Janssens")
    expect(page.locator("#search")).to_be_focused()
    expect(page.locator("#search")).to_have_value("Janssens")
    assert scan_log(page)["wedge"] == []


US_KEYS_ON_AZERTY = {  # what a US-layout scanner's keys type on a Belgian AZERTY laptop
    "1": ("Digit1", "&"),
    "2": ("Digit2", "é"),
    "7": ("Digit7", "è"),
    "0": ("Digit0", "à"),
    "A": ("KeyA", "Q"),
    "Q": ("KeyQ", "A"),
    "Z": ("KeyZ", "W"),
    "M": ("KeyM", "?"),
}


def type_like_a_us_scanner_on_azerty(page, text: str) -> None:
    """Key events as Chromium gets them from a US-layout scanner on a Belgian laptop."""
    cdp = page.context.new_cdp_session(page)
    for char in text:
        key_code, typed = US_KEYS_ON_AZERTY.get(char, (f"Key{char}", char))
        for kind in ("keyDown", "keyUp"):
            event = {"type": kind, "code": key_code, "key": typed}
            if kind == "keyDown":
                event["text"] = typed
            cdp.send("Input.dispatchKeyEvent", event)
    for kind in ("keyDown", "keyUp"):
        cdp.send(
            "Input.dispatchKeyEvent",
            {
                "type": kind,
                "code": "Enter",
                "key": "Enter",
                "windowsVirtualKeyCode": 13,
                "text": "\r",
            },
        )
    cdp.detach()


def test_a_us_layout_scanner_on_an_azerty_laptop_still_reads_right(server, new_page):
    page = wedge_page(server, new_page)

    type_like_a_us_scanner_on_azerty(page, "A1Z2M70Q")  # arrives as "Q&Wé?èàA"
    type_like_a_us_scanner_on_azerty(page, "AQZB")  # plain letters, but swapped

    assert scan_log(page)["wedge"] == ["A1Z2M70Q", "AQZB"]
