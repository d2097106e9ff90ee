"""The organiser's console through the test client: who may, the CSRF token, the import
with its preview, the attendees, badges as jobs, the report page, the words.

Jobs run in a background thread of the test's app, as on the server; `wait_for` polls a
job's JSON until it is done.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from kiosk.store import attendees as attendee_store
from kiosk.store import movements
from kiosk.web.console.words import PHRASES
from tests.conftest import SAMPLE

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["/organiser/registrations", "/organiser/import", "/organiser/imports",
         "/organiser/badges", "/organiser/report"]
BAD_ROWS = (b"Geen;Mail;;Lier;;;;;;;\r\nAn;Smet;an.smet@lier;Lier;;;;;;;\r\n")


@pytest.fixture
def organiser(paired):
    return paired("organiser")


def token_of(browser, url: str = "/organiser/import") -> str:
    page = browser.get(url).get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def upload(browser, data: bytes, filename: str = "lijst.csv", **form):
    return browser.post("/organiser/import", data={
        "csrf": token_of(browser), "file": (io.BytesIO(data), filename), **form},
        content_type="multipart/form-data")


def wait_for(browser, location: str, timeout: float = 60) -> dict:
    """The job behind a redirect (…/jobs/ID or …?job=ID), once it is finished."""
    job_id = location.rsplit("job=", 1)[-1] if "job=" in location else location.rsplit("/", 1)[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = browser.get(f"/organiser/jobs/{job_id}.json").get_json()
        if state["state"] in ("done", "failed"):
            return state
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {state['state']}")


def download(browser, url: str):
    """A file response, read and closed (send_file keeps the file open until then)."""
    response = browser.get(url)
    response.get_data()
    response.close()
    return response


def count(db, status: str | None = None) -> int:
    return len(attendee_store.all_attendees(db, status=status))


# --- who may -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_every_console_page_needs_an_organiser(client, paired, url):
    """Unpaired: to the pairing page. Another role: 403. The organiser: the page."""
    assert client.get(url).status_code == 302
    assert paired("reception").get(url).status_code == 403
    assert paired("caterer").get(url).status_code == 403
    page = paired("organiser").get(url)
    assert page.status_code == 200 and 'class="console-nav"' in page.get_data(as_text=True)


def test_a_write_without_the_token_is_refused_and_changes_nothing(organiser, loaded):
    """A form posted without this browser's token (another page's) is a 403 in words."""
    response = organiser.post("/organiser/registrations/1/cancel")
    assert response.status_code == 403
    assert "verlopen" in response.get_data(as_text=True)
    forged = organiser.post("/organiser/registrations/1/cancel", data={"csrf": "x" * 43})
    assert forged.status_code == 403 and count(loaded, "cancelled") == 0
    foreign = organiser.post("/organiser/registrations/1/cancel",
                             data={"csrf": token_of(organiser)},
                             headers={"Origin": "https://evil.example"})
    assert foreign.status_code == 403 and count(loaded, "cancelled") == 0


# --- the import --------------------------------------------------------------------------


def test_the_preview_shows_what_would_happen_and_writes_nothing(organiser, db):
    """The shared sample plus two bad rows: 48 new, the two rejected with their row
    numbers and reasons, the columns and the first rows; nothing stored yet."""
    response = upload(organiser, SAMPLE.read_bytes() + BAD_ROWS)
    assert response.status_code == 302
    page = organiser.get(response.headers["Location"]).get_data(as_text=True)
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', page))
    assert counts == {"rows": "50", "added": "48", "updated": "0", "unchanged": "0",
                      "restored": "0", "cancelled": "0", "rejected": "2", "warnings": "0"}
    assert re.search(r'data-row="50">\s*<td>50</td><td>e-mailadres ontbreekt', page)
    assert re.search(r'data-row="51">\s*<td>51</td><td>ongeldig e-mailadres', page)
    assert "Werksessie voormiddag" in page and "Yasmine El Amrani" in page
    assert count(db) == 0


def test_confirming_imports_the_previewed_file_and_logs_it(organiser, db):
    """Importeren runs the importer once, as a job; the log shows it with its rows."""
    preview = upload(organiser, SAMPLE.read_bytes() + BAD_ROWS).headers["Location"]
    page = organiser.get(preview).get_data(as_text=True)
    action = re.search(r'action="([^"]+/confirm)"', page).group(1)
    started = organiser.post(action, data={"csrf": token_of(organiser)})
    job = wait_for(organiser, started.headers["Location"])
    assert job["state"] == "done" and job["result_url"].startswith("/organiser/imports/")
    assert count(db) == 48
    log = organiser.get(job["result_url"]).get_data(as_text=True)
    assert "Geïmporteerd" in log and "ongeldig e-mailadres" in log
    assert "lijst.csv" in organiser.get("/organiser/imports").get_data(as_text=True)
    # the upload is gone once imported: confirming again is a clear 404
    assert organiser.post(action, data={"csrf": token_of(organiser)}).status_code == 404


def test_an_unknown_column_is_mapped_in_the_preview(organiser, db):
    """No e-mail column recognised: the importer's message, and a field to pick for the
    column; with the mapping the preview works (the command line's --map)."""
    text = SAMPLE.read_bytes().decode("utf-8-sig").replace("E-mailadres", "Adres deelnemer")
    location = upload(organiser, text.encode()).headers["Location"]
    page = organiser.get(location)
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "geen kolom met e-mailadressen gevonden" in html
    assert 'value="Adres deelnemer=email"' in html
    mapped = organiser.get(location + "?map=Adres+deelnemer%3Demail").get_data(as_text=True)
    assert 'data-count="added">48<' in mapped


def test_a_full_import_that_would_cancel_people_says_who(organiser, loaded):
    """A shorter full list: the preview warns how many would be cancelled, by name."""
    lines = SAMPLE.read_bytes().split(b"\r\n")
    page = organiser.get(upload(organiser, b"\r\n".join(lines[:11]) + b"\r\n")
                         .headers["Location"]).get_data(as_text=True)
    assert 'data-count="cancelled">38<' in page and "data-will-cancel" in page
    assert "38 inschrijvingen worden geannuleerd" in page
    assert count(loaded, "cancelled") == 0  # a preview


@pytest.mark.parametrize(("data", "words"), [
    (b"\x00\x01\x02garbage" * 50, "geen CSV- of XLSX-bestand"),
    (b"PK\x03\x04broken zip", "XLSX-bestand kan niet geopend worden"),
    (b"Naam;Functie\r\nAn;Chef\r\n", "geen kolom met e-mailadressen"),
])
def test_a_bad_file_gets_the_importers_words_and_changes_nothing(organiser, db, data, words):
    location = upload(organiser, data, "lijst.xlsx" if data[:2] == b"PK" else "x.csv")
    page = organiser.get(location.headers["Location"])
    assert page.status_code == 400 and words in page.get_data(as_text=True)
    assert count(db) == 0


def test_an_upload_over_the_limit_is_refused_in_words(organiser, db):
    """The console takes lists up to 10 MB (the app's own cap is 64 MB)."""
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(path="/organiser/import", method="POST", data={
        "csrf": token_of(organiser), "file": (io.BytesIO(b"a;b\r\n" * 2_200_000), "big.csv")})
    environ = builder.get_environ()  # the 11 MB body, in a temporary file of its own
    try:
        response = organiser.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 413
    assert "hoogstens 10 MB" in response.get_data(as_text=True)


def test_an_empty_upload_is_refused(organiser):
    response = upload(organiser, b"   ")
    assert response.status_code == 400 and "leeg" in response.get_data(as_text=True)


# --- the attendees -----------------------------------------------------------------------


def test_the_list_searches_sorts_and_shows_emails(organiser, loaded):
    """Search ignores accents and case and looks in names, e-mails and bestuur; the
    organiser sees e-mail addresses; sorting by bestuur puts Berlaar first."""
    page = organiser.get("/organiser/registrations?q=MERTENS").get_data(as_text=True)
    assert "xavier.mertens@puurs-sint-amands.be" in page
    assert all("mertens" in row.lower() for row in re.findall(r"<tr class=\"status.*?</tr>",
                                                                page, re.S))
    assert "48 ingeschreven" in organiser.get("/organiser/registrations").get_data(as_text=True)
    by_bestuur = organiser.get("/organiser/registrations?sort=bestuur").get_data(as_text=True)
    first = re.search(r'<tr class="status-registered".*?</tr>', by_bestuur, re.S).group(0)
    assert "Berlaar" in first


def test_names_with_markup_are_shown_as_text(organiser, loaded):
    from tests.browser.people import add_person

    add_person(loaded.path, first_name="<b>Bold</b>", last_name="<script>x()</script>")
    page = organiser.get("/organiser/registrations?q=bold").get_data(as_text=True)
    assert "&lt;script&gt;x()&lt;/script&gt;" in page and "<script>x()" not in page


def test_a_name_fix_makes_the_badge_stale(organiser, loaded):
    """Editing the first name saves it, bumps the badge's version, and says to reprint."""
    person = attendee_store.all_attendees(loaded)[0]
    form = {"csrf": token_of(organiser), "first_name": "Yasmina",
            "last_name": person.last_name, "organisation": person.organisation,
            "function": person.function, "diet": person.diet, "comments": person.comments,
            **{f"session:{b}": t for b, t in person.sessions.items()},
            **{f"meal:{m}": "1" for m, yes in person.meals.items() if yes}}
    response = organiser.post(f"/organiser/registrations/{person.id}", data=form,
                              follow_redirects=True)
    assert "druk ze opnieuw af" in response.get_data(as_text=True)
    after = attendee_store.get(loaded, person.id)
    assert after.first_name == "Yasmina" and after.badge_version == person.badge_version + 1
    assert after.meals == person.meals and after.sessions == person.sessions


def test_an_edit_with_control_characters_is_refused(organiser, loaded):
    person = attendee_store.all_attendees(loaded)[0]
    response = organiser.post(f"/organiser/registrations/{person.id}", data={
        "csrf": token_of(organiser), "first_name": "An\x07na", "last_name": "X"})
    assert response.status_code == 400 and "stuurtekens" in response.get_data(as_text=True)
    assert attendee_store.get(loaded, person.id).first_name == person.first_name


def test_cancel_restore_and_checking_in_and_out_by_hand(organiser, loaded):
    """The person's page: cancel (the badge scans red), restore, check in at the desk and
    out again; each is a movement in the log, shown on the page."""
    person = attendee_store.all_attendees(loaded)[3]
    url = f"/organiser/registrations/{person.id}"
    token = token_of(organiser)
    organiser.post(url + "/cancel", data={"csrf": token})
    assert attendee_store.get(loaded, person.id).status == "cancelled"
    refused = organiser.post(url + "/check-in", data={"csrf": token}, follow_redirects=True)
    assert "herstel de inschrijving eerst" in refused.get_data(as_text=True)
    organiser.post(url + "/restore", data={"csrf": token})
    assert attendee_store.get(loaded, person.id).status == "registered"
    page = organiser.post(url + "/check-in", data={"csrf": token}, follow_redirects=True)
    assert "Aangemeld." in page.get_data(as_text=True)
    assert movements.first_checkin(loaded, person.id) is not None
    page = organiser.post(url + "/check-out", data={"csrf": token}, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Afgemeld." in html and "nu: vertrokken" in html
    assert html.count("<td>organiser test</td>") == 2  # both scans, by the console's station


# --- badges and the report -------------------------------------------------------------------


def test_one_bestuurs_badges_as_a_pdf_then_only_the_changed(organiser, loaded):
    """Mechelen's badges on A4 sheets: a job, a PDF with every Mechelen badge, marked
    printed; afterwards "only changed" has only the others."""
    mechelen = [p for p in attendee_store.printable(loaded) if p.bestuur == "Mechelen"]
    started = organiser.post("/organiser/badges/print", data={
        "csrf": token_of(organiser), "who": "bestuur", "bestuur": "Mechelen",
        "layout": "cr80", "sort": "name"})
    job = wait_for(organiser, started.headers["Location"])
    assert job["state"] == "done" and job["files"] == ["badges-cr80-mechelen.pdf"]
    pdf = download(organiser, f"/organiser/jobs/{job['id']}/files/{job['files'][0]}")
    assert pdf.mimetype == "application/pdf" and pdf.headers["Cache-Control"] == "no-store"
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == len(mechelen)
    left = attendee_store.printable(loaded, only_changed=True)
    assert len(left) == 48 - len(mechelen) and not {p.id for p in left} & {p.id for p in mechelen}
    page = organiser.get("/organiser/badges").get_data(as_text=True)
    assert f"({48 - len(mechelen)})" in page and "badges-cr80-mechelen.pdf" in page


def test_nothing_to_print_is_said_in_words(organiser, loaded):
    token = token_of(organiser)
    organiser.post("/organiser/badges/print", data={"csrf": token, "who": "all", "layout": "a4"})
    started = organiser.post("/organiser/badges/print", data={
        "csrf": token, "who": "changed", "layout": "a4", "sort": "name"})
    job = wait_for(organiser, started.headers["Location"])
    assert job["state"] == "failed" and "niets nieuw of gewijzigd" in job["error"]


def test_a_bad_print_order_is_refused_before_any_job(organiser, loaded):
    response = organiser.post("/organiser/badges/print", data={
        "csrf": token_of(organiser), "who": "all", "layout": "a3"}, follow_redirects=True)
    assert "onbekende lay-out" in response.get_data(as_text=True)


def test_the_paper_list_and_the_report_as_jobs(organiser, loaded):
    started = organiser.post("/organiser/badges/checklist", data={"csrf": token_of(organiser)})
    job = wait_for(organiser, started.headers["Location"])
    assert job["files"] == ["aanwezigheidslijst.pdf"] and "48 deelnemers" in job["note"]
    started = organiser.post("/organiser/report", data={"csrf": token_of(organiser)})
    job = wait_for(organiser, started.headers["Location"], timeout=120)
    assert job["state"] == "done", job["error"]
    assert sorted(job["files"]) == ["attendance.csv", "attendance.xlsx", "movements.csv",
                                    "report.html", "report.pdf"]
    html = download(organiser, f"/organiser/jobs/{job['id']}/files/report.html")
    assert html.mimetype == "text/html" and b"rapport van de dag" in html.data
    csv_file = download(organiser, f"/organiser/jobs/{job['id']}/files/attendance.csv")
    assert "attachment" in csv_file.headers["Content-Disposition"]
    assert organiser.get(f"/organiser/jobs/{job['id']}/files/../../k.db").status_code == 404
    assert organiser.get("/organiser/jobs/nope.json").status_code == 404


# --- words and the bar -------------------------------------------------------------------


def test_english_with_the_switch(organiser, loaded):
    page = organiser.get("/organiser/registrations?lang=en").get_data(as_text=True)
    assert "Attendees" in page and "Search by name" in page and 'lang="en"' in page
    assert "Import a list" in organiser.get("/organiser/import").get_data(as_text=True)


def test_every_word_the_templates_use_exists_in_both_languages():
    """w.key in the templates, and the keys they build (w['status_' ~ p.status])."""
    from kiosk.jobs.board import STATES
    from kiosk.jobs.printing import LAYOUTS
    from kiosk.printing.sheets import SORTS
    from kiosk.store.attendees import STATUSES
    from kiosk.web.console.people import SHOWS

    used = set()
    for template in (ROOT / "templates" / "console").glob("*.html"):
        used |= set(re.findall(r"\bw\.(\w+)", template.read_text(encoding="utf-8")))
    built = {"show_": SHOWS, "status_": STATUSES, "layout_": LAYOUTS, "sort_": SORTS,
             "job_": (*STATES, "badges", "checklist", "import", "report"),
             "count_": ("added", "updated", "unchanged", "restored", "cancelled", "rejected",
                        "warnings")}
    used |= {prefix + key for prefix, keys in built.items() for key in keys}
    assert used - set(PHRASES) == set()
    assert all(len(pair) == 2 and all(pair) for pair in PHRASES.values())


def test_the_dashboard_and_the_stations_page_carry_the_bar(organiser):
    for url, current in (("/organiser", "dashboard"), ("/organiser/stations/", "stations")):
        page = organiser.get(url).get_data(as_text=True)
        links = re.findall(r'data-nav="(\w+)"( aria-current="page")?', page)
        assert [key for key, _ in links] == ["dashboard", "stations", "registrations",
                                             "badges", "report"]
        assert [key for key, here in links if here] == [current]


# --- on the real server ---------------------------------------------------------------------


def test_jobs_run_on_the_gevent_server_while_it_keeps_scanning(server, db_path):
    """On `serve` (gunicorn, gevent) a badge run is drawn in gevent's thread pool: a scan
    sent while it runs is answered, and the PDF arrives; then the import of a changed
    list runs as a job there too."""
    import requests

    from kiosk.checkin import auth
    from kiosk.event import load_event
    from kiosk.store import connect

    with connect(db_path) as db:
        event = load_event()
        _o, organiser_token = auth.create_station(db, event, "organiser", "Organisator")
        _r, desk = auth.create_station(db, event, "reception", "Onthaal")
        person = attendee_store.all_attendees(db)[5]
    browser = requests.Session()
    assert browser.get(f"{server.url}/pair/{organiser_token}", timeout=10).ok
    page = browser.get(f"{server.url}/organiser/badges", timeout=10).text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    started = browser.post(f"{server.url}/organiser/badges/print", timeout=10,
                           allow_redirects=False, data={"csrf": token, "who": "all",
                                                        "layout": "a6", "sort": "name"})
    job_id = started.headers["Location"].rsplit("job=", 1)[1]
    scan = requests.post(f"{server.url}/api/scans", timeout=10,
                         headers={"Authorization": f"Bearer {desk}"},
                         json={"code": person.badge_code, "scan_id": "during-the-job"})
    assert scan.status_code == 200 and scan.json()["result"] == "checked_in"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = browser.get(f"{server.url}/organiser/jobs/{job_id}.json", timeout=10).json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert job["state"] == "done" and job["files"] == ["badges-a6.pdf"], job
    pdf = browser.get(f"{server.url}/organiser/jobs/{job_id}/files/badges-a6.pdf", timeout=10)
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 48
    sent = browser.post(f"{server.url}/organiser/import", timeout=10, allow_redirects=False,
                        data={"csrf": token},
                        files={"file": ("lijst.csv", SAMPLE.read_bytes().replace(
                            b"Yasmine", b"Jasmien"))})
    preview = browser.get(server.url + sent.headers["Location"], timeout=10).text
    assert 'data-count="updated">1<' in preview
    action = re.search(r'action="([^"]+/confirm)"', preview).group(1)
    started = browser.post(server.url + action, data={"csrf": token}, timeout=10,
                           allow_redirects=False)
    job_id = started.headers["Location"].rsplit("/", 1)[1]
    while time.monotonic() < deadline:
        job = browser.get(f"{server.url}/organiser/jobs/{job_id}.json", timeout=10).json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert job["state"] == "done", job
    with connect(db_path) as db:
        assert attendee_store.get_by_email(db, "yasmine.elamrani@mechelen.be").first_name \
            == "Jasmien"
