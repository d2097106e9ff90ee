"""The organiser's station page: add a station in the browser, pair with its QR code."""

from __future__ import annotations

import base64
import io
import re

import zxingcpp
from PIL import Image

from kiosk.checkin import auth


def test_an_organiser_adds_a_station_and_gets_a_pairing_qr(paired, db):
    organiser = paired("organiser")
    page = organiser.post("/organiser/stations/", data={
        "name": "Onthaal 2", "role": "reception", "location": ""},
        headers={"Origin": "http://localhost"}).get_data(as_text=True)
    qr = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    url = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(qr))))[0].text
    assert url.startswith("http://localhost/pair/") and url in page
    tablet = organiser.application.test_client()
    assert tablet.get(url.removeprefix("http://localhost")).headers["Location"] == "/reception"
    assert any(s.name == "Onthaal 2" for s in auth.list_stations(db))


def test_a_bad_station_form_says_why(paired):
    response = paired("organiser").post("/organiser/stations/", data={
        "name": "Zaal", "role": "host", "location": ""})
    assert response.status_code == 400 and "--location" in response.get_data(as_text=True)


def test_revoking_from_the_page(paired, db, app):
    station, _token = auth.create_station(db, app.extensions["kiosk.event"], "caterer", "K")
    organiser = paired("organiser")
    assert organiser.post(f"/organiser/stations/{station.id}/revoke").status_code == 302
    assert next(s for s in auth.list_stations(db) if s.id == station.id).revoked_at


def test_only_organisers_manage_stations_and_foreign_origins_cannot_post(paired):
    assert paired("reception").get("/organiser/stations/").status_code == 403
    organiser = paired("organiser")
    forged = organiser.post("/organiser/stations/", data={"name": "X", "role": "organiser"},
                            headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
