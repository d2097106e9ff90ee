"""Photograph the organiser's console for the README's "Op de dag zelf" (docs/console-*.png).

A temporary database gets the demo's registrations (through the real import) and a
morning played in-process up to 10:40 (the planner's day, as the rehearsal plays it);
the app is served on 127.0.0.1 on a clock standing at 10:40, and Debian's Chromium
(Playwright) walks through the console at 1280×800: the import preview, the attendees,
a person, the badges with a finished run, the report page.

    .venv/bin/python docs/console_screenshots.py [--out docs]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from kiosk import create_app  # noqa: E402
from kiosk.checkin import auth  # noqa: E402
from kiosk.clock import EventClock  # noqa: E402
from kiosk.event import load_event  # noqa: E402
from kiosk.registrations.demo import demo_csv  # noqa: E402
from kiosk.rehearsal.plan import Guest, play_until  # noqa: E402
from kiosk.rehearsal.planning import plan_day  # noqa: E402
from kiosk.store import attendees, connect  # noqa: E402
from tests.browser.server import LiveServer  # noqa: E402

SIZE = {"width": 1280, "height": 800}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def prepare(folder: Path, event, moment: dt.datetime) -> tuple[object, str]:
    """The demo list, imported; its morning played until `moment`; an organiser token."""
    from kiosk.registrations.importer import import_registrations

    with connect(folder / "demo.db") as db:
        import_registrations(db, event, demo_csv(event), "inschrijvingen-strategio.csv")
        guests = [Guest.of(a) for a in attendees.all_attendees(db)]
        play_until(db, event, plan_day(guests, event, 1), moment)
        _station, token = auth.create_station(db, event, "organiser", "Organisator IGEMO")
    app = create_app({"DATABASE": str(folder / "demo.db"), "SECRET_KEY": "docs",
                      "CLOCK": EventClock(event.tz, moment, speed=0)})
    return app, token


def shoot(url: str, token: str, out: Path) -> list[Path]:
    taken = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_context(viewport=SIZE).new_page()
        page.goto(f"{url}/pair/{token}")

        def take(name: str, full: bool = False) -> None:
            path = out / f"console-{name}.png"
            page.screenshot(path=str(path), full_page=full)
            taken.append(path)

        page.goto(f"{url}/organiser/import")
        lines = demo_csv(load_event()).decode("utf-8-sig").splitlines()
        late = "\r\n".join(lines[:1] + lines[1:6] + [
            "Lotte;Peeters;;Lier;Beleidsmedewerker;Mobiliteit;Economie;ja;;ja;",
            "Ruben;Claes;ruben.claes@putte;Putte;Jurist;;;ja;;nee;"]) + "\r\n"
        page.locator("input[type=file]").set_input_files({
            "name": "late-inschrijvingen.csv", "mimeType": "text/csv",
            "buffer": late.encode("utf-8")})
        page.locator("input[name=partial]").check()
        page.get_by_role("button", name="Voorbeeld bekijken").click()
        expect(page.locator("#rejected")).to_be_visible()
        page.locator("#rejected").scroll_into_view_if_needed()
        page.evaluate("window.scrollTo(0, 0)")
        take("preview")
        page.goto(f"{url}/organiser/registrations?q=jans")
        take("attendees")
        page.locator("table.people tbody tr a").first.click()
        expect(page.locator(".badge-preview")).to_have_js_property("complete", True)
        take("person")
        page.goto(f"{url}/organiser/badges")
        page.locator("input[name=who][value=bestuur]").check()
        page.locator("select[name=bestuur]").select_option("Lier")
        page.get_by_role("button", name="PDF maken").click()
        expect(page.locator(".job .job-files a").first).to_be_visible(timeout=60_000)
        take("badges")
        page.goto(f"{url}/organiser/report")
        take("report")
        page.goto(f"{url}/organiser")
        time.sleep(1)
        take("dashboard")
        browser.close()
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--at", default="10:40", help="the event time of the pictures")
    options = parser.parse_args()
    event = load_event()
    hours, minutes = (int(x) for x in re.split(":", options.at))
    moment = dt.datetime.combine(event.date, dt.time(hours, minutes), tzinfo=event.tz)
    with tempfile.TemporaryDirectory() as folder:
        app, token = prepare(Path(folder), event, moment)
        server = LiveServer(app).start()
        try:
            for path in shoot(server.url, token, Path(options.out)):
                print(path)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
