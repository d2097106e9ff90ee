"""Offline stations in real Chromium: the Wi-Fi goes (Playwright's offline mode), the
reception tablet keeps answering from its own roster, and what it queued reaches the
server exactly once, at the time it was scanned, when the network is back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kiosk.checkin import auth
from kiosk.registrations.importer import import_registrations
from kiosk.store import connect
from tests.browser.test_reception import LANDSCAPE, SAMPLE, Desk


@pytest.fixture
def desk(live_server) -> Desk:
    event = live_server.app.extensions["kiosk.event"]
    with connect(live_server.app.config["DATABASE"]) as db:
        import_registrations(db, event, SAMPLE.read_bytes(), SAMPLE.name)
        _station, token = auth.create_station(db, event, "reception", "Onthaal 1")
    return Desk(live_server, event, token)


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
