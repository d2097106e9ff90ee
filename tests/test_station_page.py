"""The organiser's station page: add a station in the browser, pair with its QR code, the
public address the QR codes hold, and a warning when that is this computer only."""

from __future__ import annotations

import base64
import io
import re

import pytest
import zxingcpp
from PIL import Image

from kiosk.checkin import auth
from kiosk.store import settings, stations
from kiosk.web import publicurl
from tests.clocks import DAY


def token_of(browser) -> str:
    page = browser.get("/organiser/stations/").get_data(as_text=True)
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def post(browser, url: str, **data):
    """A form post as the page makes it: with the page's CSRF token."""
    return browser.post(url, data={"csrf": token_of(browser), **data})


def qr_text(page: str) -> str:
    qr = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(qr))))[0].text


def add_station(browser, name: str = "Onthaal 2") -> str:
    response = post(browser, "/organiser/stations/", name=name, role="reception", location="")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def organiser(paired):
    return paired("organiser")


def test_an_organiser_adds_a_station_and_gets_a_pairing_qr(organiser, db):
    page = add_station(organiser)
    url = qr_text(page)
    assert url.startswith("http://localhost/pair/") and url in page
    tablet = organiser.application.test_client()
    assert tablet.get(url.removeprefix("http://localhost")).headers["Location"] == "/reception"
    assert any(s.name == "Onthaal 2" for s in auth.list_stations(db))


def test_a_qr_for_localhost_comes_with_a_warning(organiser):
    page = add_station(organiser)
    assert qr_text(page).startswith("http://localhost/")
    assert "de koppel-QR-code wijst naar localhost" in page and 'role="alert"' in page


def test_the_pairing_qr_holds_the_public_url_given_at_start(app, organiser):
    app.config["PUBLIC_URL"] = "https://kiosk.strategio.be:8443/"  # serve --public-url
    page = add_station(organiser)
    assert re.fullmatch(r"https://kiosk\.strategio\.be:8443/pair/[\w-]+", qr_text(page))
    assert "wijst naar" not in page


def test_the_public_url_saved_on_the_page_goes_into_the_qr(organiser, db):
    saved = post(organiser, "/organiser/stations/address", public_url="192.168.1.20:8443")
    assert saved.status_code == 302
    assert settings.get(db, "public_url") == "http://192.168.1.20:8443"
    page = add_station(organiser)
    assert qr_text(page).startswith("http://192.168.1.20:8443/pair/")
    assert "ingesteld op deze pagina" in page and "wijst naar" not in page

    post(organiser, "/organiser/stations/address", public_url="")  # back to automatic
    assert settings.get(db, "public_url") is None
    assert qr_text(add_station(organiser, "Onthaal 3")).startswith("http://localhost/")


@pytest.mark.parametrize("bad", ["ftp://kiosk", "https://kiosk/pad", "https://a:b@kiosk",
                                 "https://kiosk:99999", "http://"])
def test_a_bad_public_url_is_refused_and_changes_nothing(organiser, db, bad):
    response = post(organiser, "/organiser/stations/address", public_url=bad)
    assert response.status_code == 400
    assert 'class="form-error"' in response.get_data(as_text=True)
    assert settings.get(db, "public_url") is None


def test_the_address_form_needs_the_csrf_token(organiser, db):
    response = organiser.post("/organiser/stations/address", data={"public_url": "10.0.0.9"})
    assert response.status_code == 403 and settings.get(db, "public_url") is None


def test_listening_on_the_network_the_qr_holds_the_lan_address(app, organiser, monkeypatch):
    app.config["LISTEN_HOST"] = "0.0.0.0"  # serve --host 0.0.0.0
    monkeypatch.setattr(publicurl, "lan_address", lambda: "192.168.7.31")
    page = add_station(organiser)
    assert qr_text(page).startswith("http://192.168.7.31/pair/")
    assert "automatisch gevonden" in page and "wijst naar" not in page


def test_listening_on_loopback_only_the_page_says_so(app, organiser):
    app.config["LISTEN_HOST"] = "127.0.0.1"
    app.config["PUBLIC_URL"] = "http://192.168.7.31:5000"
    page = organiser.get("/organiser/stations/").get_data(as_text=True)
    assert "luistert alleen op 127.0.0.1" in page


def test_the_lan_address_is_found_without_sending_anything():
    found = publicurl.lan_address()
    assert found is None or not publicurl.is_local(found)


def test_a_bad_station_form_says_why_in_plain_dutch(organiser):
    response = post(organiser, "/organiser/stations/", name="Zaal", role="host", location="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "kies een zaal als plaats" in page
    assert "--" not in re.search(r'class="form-error"[^>]*>([^<]*)<', page).group(1)


def test_last_seen_is_local_event_time(organiser, db, app):
    station, _token = auth.create_station(db, app.extensions["kiosk.event"], "caterer", "K")
    stations.touch(db, station.id, f"{DAY.isoformat()}T07:04:09+00:00")  # 09:04:09 in Mechelen
    page = organiser.get("/organiser/stations/").get_data(as_text=True)
    row = re.search(r"<td>K</td>.*?</tr>", page, re.S).group(0)
    assert "09:04:09" in row and "UTC" not in row


def test_revoking_from_the_page(organiser, db, app):
    station, _token = auth.create_station(db, app.extensions["kiosk.event"], "caterer", "K")
    assert post(organiser, f"/organiser/stations/{station.id}/revoke").status_code == 302
    assert next(s for s in auth.list_stations(db) if s.id == station.id).revoked_at


def test_only_organisers_manage_stations_and_foreign_origins_cannot_post(paired, organiser):
    assert paired("reception").get("/organiser/stations/").status_code == 403
    forged = organiser.post("/organiser/stations/", data={
        "csrf": token_of(organiser), "name": "X", "role": "organiser"},
        headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    assert organiser.post("/organiser/stations/", data={
        "name": "X", "role": "organiser"}).status_code == 403  # no token


def test_the_organiser_dashboard_links_to_the_stations_page(organiser):
    page = organiser.get("/organiser").get_data(as_text=True)
    assert re.search(r'<a href="/organiser/stations/"[^>]*data-nav="stations"', page)
