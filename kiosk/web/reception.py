"""The reception page: camera, handheld scanner, name search, walk-ins."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from kiosk.checkin import scans
from kiosk.web import present
from kiosk.web.access import current_station, page_requires
from kiosk.web.context import get_clock, get_db, get_event
from kiosk.web.i18n import current_language, strings

bp = Blueprint("reception", __name__)


@bp.get("/reception")
@page_requires("scan")
def page() -> str:
    event, station, lang = get_event(), current_station(), current_language()
    location = event.location(station.location) if station.location else \
        event.locations_of_kind("reception")[0]
    config = {
        "lang": lang,
        "strings": strings(lang),
        "location": location.id,
        "urls": {"scan": url_for("api.post_scan"), "search": url_for("api.search_attendees"),
                 "walkIn": url_for("api.post_walk_in"),
                 "undo": url_for("api.undo_scan", scan_id="SCAN_ID"),
                 "roster": url_for("offline_api.get_roster")},
        "station": station.id,
        "counts": scans.counts(get_db()).as_dict(),
        "currentBlock": present.current_block(event, get_clock().now()),
        "canWalkIn": station.role in ("reception", "organiser"),
    }
    return render_template("reception.html", event=event, station=station, location=location,
                           t=strings(lang), lang=lang, config=config)
