"""Pairing a device: /pair/TOKEN signs a browser in as a station and sends it to its page."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, session, url_for

from kiosk.web.access import current_station, sign_in, token_station
from kiosk.web.context import get_event
from kiosk.web.i18n import current_language

bp = Blueprint("pairing", __name__)

HOME = {"reception": "reception.page", "host": "screens.host", "caterer": "screens.caterer",
        "organiser": "screens.organiser", "kiosk": "kiosk.page"}


def home_url(role: str) -> str:
    return url_for(HOME[role]) if HOME[role] in current_app.view_functions else \
        url_for("status.index")


@bp.get("/")
def landing():
    """Paired: straight to the station's page. Not paired: how to pair (and, in the demo,
    one button per role)."""
    station = current_station()
    if station is not None:
        return redirect(home_url(station.role))
    return render_template("pair.html", event=get_event(), lang=current_language(),
                           demo=current_app.config.get("DEMO_STATIONS") or {},
                           demo_live=current_app.config.get("DEMO_LIVE"))


@bp.get("/pair/<token>")
def pair(token: str):
    station = token_station(token)  # wrong tokens are counted per address
    if station is None:
        abort(404, "bad_pairing")  # kiosk.web.errors: "vraag een nieuwe koppelcode"
    sign_in(station)
    return redirect(home_url(station.role))


@bp.post("/unpair")
def unpair():
    session.clear()
    return redirect(url_for("pairing.landing"))
