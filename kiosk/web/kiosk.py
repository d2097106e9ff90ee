"""The self check-in kiosk: a tablet on a stand where guests check themselves in.

A guest scans their badge (or the QR code of their e-mail), or types their name and picks
themselves from at most a few matches; nothing is listed before they type, and nothing but
first name, last name and bestuur is shown (no e-mail, no codes). The answer is big and
friendly ("Welkom, Kaat! Jouw werksessie: Omgeving en Wonen — Zaal Mercator"), the badge is
printed when the kiosk has a printer, and a guest the kiosk cannot help (unknown code,
cancelled registration, not found) is sent to reception. Staff leave kiosk mode with the
station's PIN (checkin/auth.py), which also unpairs the tablet.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, session, url_for

from kiosk.checkin import auth, scans
from kiosk.checkin.scans import Scan, ScanError
from kiosk.registrations import search
from kiosk.serving import green
from kiosk.spooler import queue
from kiosk.store import attendees as attendee_store
from kiosk.web import live, present
from kiosk.web.access import api_error, api_requires, current_station, page_requires
from kiosk.web.context import get_clock, get_db, get_event
from kiosk.web.i18n import KIOSK_STRINGS, current_language
from kiosk.web.jsonapi import BadRequest, blueprint, json_body, string_or_none
from kiosk.web.printing import job_json, print_for

pages = Blueprint("kiosk", __name__)
bp = blueprint("kiosk_api", __name__)
MIN_TYPED = 2  # letters before the kiosk looks anyone up
MAX_MATCHES = 4  # more than this: "typ wat meer van je naam"


def _location(station) -> str:
    event = get_event()
    return station.location or auth.default_location("reception", event)


@pages.get("/kiosk")
@page_requires("self_checkin")
def page():
    station = current_station()
    has_printer = auth.settings(get_db(), station.id).printer_id is not None
    config = {"lang": current_language(), "strings": KIOSK_STRINGS,
              "hasPrinter": has_printer,
              # how long a welcome stays up (tests shorten it)
              "answerSeconds": current_app.config.get("KIOSK_ANSWER_SECONDS", 8),
              "urls": {"find": url_for("kiosk_api.find"), "checkIn": url_for("kiosk_api.check_in"),
                       "leave": url_for("kiosk_api.leave"), "home": url_for("pairing.landing"),
                       "job": url_for("kiosk_api.print_job", job_id=0).replace("/0", "/JOB_ID")}}
    return render_template("kiosk.html", event=get_event(), station=station, config=config,
                           lang=config["lang"])


def _guest(person) -> dict:
    """All a kiosk shows of a person: who they are, where to go. No e-mail, no code."""
    return {"id": person.id, "first_name": person.first_name, "last_name": person.last_name,
            "organisation": person.organisation}


@bp.post("/kiosk/find")
@api_requires("self_checkin")
def find():
    """{"q": "kaat pe"} -> at most a few people (none before two letters are typed)."""
    query = json_body().get("q")
    if not isinstance(query, str) or len(query) > 60:
        raise BadRequest("invalid", "typ je naam (hoogstens 60 tekens)")
    if len(query.strip()) < MIN_TYPED:
        return jsonify({"results": [], "too_many": False})
    people = [p for p in green.offload(search.search, get_db(), query, MAX_MATCHES + 1)
              if p.status != "cancelled"]
    if len(people) > MAX_MATCHES:
        return jsonify({"results": [], "too_many": True})
    # Only someone this tablet just showed can be picked: no checking in by guessed ids.
    session["kiosk_found"] = [p.id for p in people]
    return jsonify({"results": [_guest(p) for p in people], "too_many": False})


@bp.post("/kiosk/check-in")
@api_requires("self_checkin")
def check_in():
    """{"attendee_id": 12} (picked by name) or {"code": "…"} (a scanned QR), with a
    "scan_id"; answers the scan's result, the person, where to go, and the print job."""
    data, station, event, db = json_body(), current_station(), get_event(), get_db()
    code = string_or_none(data, "code")
    if code is None:
        attendee_id = data.get("attendee_id")
        if isinstance(attendee_id, bool) or not isinstance(attendee_id, int):
            raise BadRequest("invalid", "attendee_id of code ontbreekt")
        if attendee_id not in session.get("kiosk_found", []):
            return api_error(403, "not_offered", "Zoek eerst je naam en tik op jezelf.")
        person = attendee_store.get(db, attendee_id)
        if person is None:
            return api_error(404, "not_found", "Onbekende deelnemer.")
        code = person.badge_code
    scan = Scan(code, _location(station), string_or_none(data, "scan_id"),
                station_id=station.id)
    clock = get_clock()
    try:
        result = scans.scan(db, event, scan, clock)
    except ScanError as exc:
        raise BadRequest("invalid", str(exc)) from None
    if result.changed:
        live.changed(current_app)
    job = None
    if result.result == "checked_in" and result.changed:
        job = print_for(station, result.attendee.id, "kiosk")
    body = present.scan_result(result, event, {}, clock.now())
    body.pop("counts")
    if body["attendee"]:
        body["attendee"] = dict(_guest(result.attendee), sessions=body["attendee"]["sessions"])
    body["print_job"] = job_json(job)
    return jsonify(body)


@bp.get("/kiosk/print-jobs/<int:job_id>")
@api_requires("self_checkin")
def print_job(job_id: int):
    """How this kiosk's print is doing (only its own jobs)."""
    job = queue.job(get_db(), job_id)
    if job is None or job.station_id != current_station().id:
        return api_error(404, "not_found", "Geen afdruk van deze kiosk.")
    return jsonify({"id": job.id, "state": job.state})


@bp.post("/kiosk/leave")
@api_requires("self_checkin")
def leave():
    """{"pin": "4821"}: the right PIN ends kiosk mode (and unpairs this tablet)."""
    pin = json_body().get("pin")
    if not isinstance(pin, str):
        raise BadRequest("invalid", "pin ontbreekt")
    outcome = auth.check_pin(get_db(), current_station().id, pin)
    if outcome == "locked":
        return api_error(429, "locked", "Te veel foute pincodes: wacht een minuut.")
    if outcome != "ok":
        return api_error(403, "wrong_pin", "Foute pincode.")
    session.clear()
    return jsonify({"left": True, "next": url_for("pairing.landing")})
