"""The organiser's station page: add a station, show its pairing QR code, revoke one, and
the public address the QR codes point at (kiosk.web.publicurl)."""

from __future__ import annotations

import base64
import datetime as dt
import io

import qrcode
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from qrcode.image.pil import PilImage

from kiosk.checkin import auth
from kiosk.checkin.auth import ROLES, StationError
from kiosk.web import live, publicurl
from kiosk.web.access import current_station, page_requires
from kiosk.web.console import csrf
from kiosk.web.context import get_clock, get_db, get_event
from kiosk.web.offline import flagged_rows, station_sync_rows

bp = Blueprint("stations", __name__, url_prefix="/organiser/stations")

ROLE_NAMES = {"reception": "Onthaal (scannen)", "host": "Zaalverantwoordelijke",
              "caterer": "Catering (alleen kijken)", "organiser": "Organisator",
              "kiosk": "Kiosk (zelf aanmelden)"}


@bp.before_request
def _csrf() -> None:
    """The page's forms carry the console's CSRF token. A Bearer token is no ambient
    credential (another site cannot make a browser send it), so scripts need none."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return
    if auth.allowed(current_station(), "manage"):
        csrf.check()


def pairing_qr(url: str) -> str:
    """The pairing link as a PNG data URI: the tablet's camera app opens it."""
    image = qrcode.make(url, image_factory=PilImage, box_size=8, border=4,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def last_seen(stamp: str | None) -> str:
    """'09:04:12' in the event's time zone (as every other screen), with the date when it
    is not the event clock's today; 'nooit' when never."""
    if not stamp:
        return "nooit"
    event = get_event()
    moment = dt.datetime.fromisoformat(stamp).astimezone(event.tz)
    today = get_clock().now().astimezone(event.tz).date()
    return moment.strftime("%H:%M:%S" if moment.date() == today else "%d/%m %H:%M")


def _page(**extra):
    address = publicurl.current()
    stations = auth.list_stations(get_db())
    return render_template("stations.html", event=get_event(), roles=ROLES,
                           role_names=ROLE_NAMES, stations=stations,
                           last_seen=last_seen, address=address, sources=publicurl.SOURCES,
                           stored_url=publicurl.stored(), csrf_token=csrf.token(),
                           offline=station_sync_rows(get_db(), get_event(), stations),
                           flagged=flagged_rows(get_db(), get_event()), **extra)


@bp.get("/")
@page_requires("manage")
def index():
    return _page()


@bp.post("/")
@page_requires("manage")
def add():
    form = request.form
    try:
        station, token = auth.create_station(get_db(), get_event(), form.get("role", ""),
                                             form.get("name", "")[:80],
                                             form.get("location") or None,
                                             form.get("pin") or None)
    except StationError as exc:
        return _page(error=str(exc), form=form), 400
    url = publicurl.current().pair_url(url_for("pairing.pair", token=token))
    return _page(created=station, pair_url=url, qr=pairing_qr(url))


@bp.post("/address")
@page_requires("manage")
def address():
    """Save the public address (an empty field: back to automatic)."""
    try:
        publicurl.save(request.form.get("public_url", "")[:300])
    except publicurl.PublicUrlError as exc:
        return _page(address_error=str(exc), address_form=request.form), 400
    return redirect(url_for("stations.index"))


@bp.post("/<int:station_id>/revoke")
@page_requires("manage")
def revoke(station_id: int):
    if auth.revoke_station(get_db(), station_id):
        live.revoked(current_app, station_id)
    return redirect(url_for("stations.index"))
