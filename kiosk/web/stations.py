"""The organiser's station page: add a station, show its pairing QR code, revoke one."""

from __future__ import annotations

import base64
import io

import qrcode
from flask import Blueprint, current_app, redirect, render_template, request, url_for
from qrcode.image.pil import PilImage

from kiosk.checkin import auth, syncing
from kiosk.checkin.auth import ROLES, StationError
from kiosk.web import live
from kiosk.web.access import page_requires
from kiosk.web.context import get_db, get_event
from kiosk.web.offline import station_sync_rows

bp = Blueprint("stations", __name__, url_prefix="/organiser/stations")

ROLE_NAMES = {"reception": "Onthaal (scannen)", "host": "Zaalverantwoordelijke",
              "caterer": "Catering (alleen kijken)", "organiser": "Organisator",
              "kiosk": "Kiosk (zelf aanmelden)"}


def pairing_qr(url: str) -> str:
    """The pairing link as a PNG data URI: the tablet's camera app opens it."""
    image = qrcode.make(url, image_factory=PilImage, box_size=8, border=4,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def _page(**extra):
    stations = auth.list_stations(get_db())
    return render_template("stations.html", event=get_event(), roles=ROLES,
                           role_names=ROLE_NAMES, stations=stations,
                           offline=station_sync_rows(get_db(), get_event(), stations),
                           flagged=syncing.flagged_scans(get_db()), **extra)


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
    url = url_for("pairing.pair", token=token, _external=True)
    return _page(created=station, pair_url=url, qr=pairing_qr(url))


@bp.post("/<int:station_id>/revoke")
@page_requires("manage")
def revoke(station_id: int):
    if auth.revoke_station(get_db(), station_id):
        live.revoked(current_app, station_id)
    return redirect(url_for("stations.index"))
