"""The JSON API of the stations: scans, undo, name search, walk-ins, badges.

Every route checks the role; malformed JSON, oversized bodies and absurd input get a
clear 4xx and write nothing. After a committed change, the live layer is told.
"""

from __future__ import annotations

from flask import Response, current_app, jsonify, request, url_for

from kiosk.checkin import auth, scans
from kiosk.checkin.scans import Scan, ScanConflict, ScanError
from kiosk.checkin.walkin import WalkInError, register_walk_in
from kiosk.headcounts import snapshots
from kiosk.registrations import search
from kiosk.serving import green
from kiosk.store import attendees as attendee_store
from kiosk.store import movements, transaction
from kiosk.web import live, present, printing
from kiosk.web.access import api_error, api_requires, current_station
from kiosk.web.context import get_clock, get_db, get_event
from kiosk.web.jsonapi import BadRequest, blueprint, json_body
from kiosk.web.jsonapi import string_or_none as _string_or_none

bp = blueprint("api", __name__)


def _counts() -> dict:
    return scans.counts(get_db()).as_dict()


@bp.post("/scans")
@api_requires("scan")
def post_scan():
    """Record a scan: {"code", "location"?, "scan_id"?, "direction"?, "client_time"?}."""
    data, station, event = json_body(), current_station(), get_event()
    location = _string_or_none(data, "location") or station.location
    if not location:
        raise BadRequest("invalid", "location ontbreekt en deze post heeft geen vaste plaats")
    if station.role == "host" and location != station.location:
        raise BadRequest("forbidden", "Een zaalverantwoordelijke scant alleen in de eigen zaal.",
                         403)
    code = data.get("code")
    if code is None and "attendee_id" in data:  # found by name on the station's own roster
        code = _code_of(data["attendee_id"])
    if not isinstance(code, str):
        raise BadRequest("invalid", "code ontbreekt of is geen tekst")
    offline = data.get("offline", False)
    if not isinstance(offline, bool):
        raise BadRequest("invalid", "offline is true of false")
    scan = Scan(code, location, _string_or_none(data, "scan_id"),
                _string_or_none(data, "direction"), _string_or_none(data, "client_time"),
                station.id, offline)
    clock = get_clock()
    try:
        result = scans.scan(get_db(), event, scan, clock)
    except ScanConflict as exc:
        raise BadRequest("scan_id_conflict", str(exc), 409) from None
    except ScanError as exc:
        raise BadRequest("invalid", str(exc)) from None
    if result.changed:
        live.changed(current_app)
    body = present.scan_result(result, event, _counts(), clock.now())
    if result.result == "checked_in" and result.changed and location == station.location:
        body["print_job"] = printing.job_json(printing.print_for(station, result.attendee.id,
                                                                 "arrival"))
    return jsonify(body)


def _code_of(attendee_id) -> str:
    """The badge code of a person a station found by name offline (it has no codes)."""
    if not isinstance(attendee_id, int) or isinstance(attendee_id, bool):
        raise BadRequest("invalid", "attendee_id is een nummer")
    person = attendee_store.get(get_db(), attendee_id)
    if person is None:
        raise BadRequest("not_found", "Onbekende deelnemer.", 404)
    return person.badge_code


@bp.post("/scans/<scan_id>/undo")
@api_requires("undo")
def undo_scan(scan_id: str):
    """A station undoes its own scans; the organiser any (`?station=ID` when several
    stations used this scan_id)."""
    if len(scan_id) > 100:
        raise BadRequest("invalid", "scan_id is te lang")
    station = current_station()
    of_station = request.args.get("station", "")
    if of_station and not of_station.isdigit():
        raise BadRequest("invalid", "station is een nummer")
    organiser = station.role == "organiser"
    outcome = scans.undo(get_db(), scan_id, get_clock(), station.id, any_station=organiser,
                         of_station=int(of_station) if of_station and organiser else None)
    if outcome.result == "not_found":
        return api_error(404, "not_found", "Geen scan met dit nummer.")
    if outcome.result == "not_yours":
        return api_error(403, "not_yours", "Deze scan werd op een andere post gemaakt: alleen "
                                           "die post of de organisator kan hem ongedaan maken.")
    if outcome.result == "undone":
        live.changed(current_app)
    person = present.attendee(outcome.attendee, get_event()) if outcome.attendee else None
    return jsonify({"result": outcome.result, "attendee": person, "counts": _counts()})


@bp.get("/attendees")
@api_requires("search")
def search_attendees():
    """Name search: ?q=… (at least two letters; at most a screenful of results)."""
    query = request.args.get("q", "")
    if len(query) > 100:
        raise BadRequest("invalid", "zoekterm te lang")
    db, event = get_db(), get_event()
    people = green.offload(search.search, db, query)  # ~10 ms for 222 people, ~100 ms for 3,000
    results = [present.attendee(p, event, checked_in_at=movements.first_checkin(db, p.id))
               for p in people]
    if not auth.allowed(current_station(), "badge"):
        # A room host finds a name to scan it at the door, not to collect badge codes: the
        # code is what a forged badge needs (issue 11, D14).
        for result in results:
            result.pop("code", None)
    return jsonify({"query": query, "results": results})


@bp.post("/walk-ins")
@api_requires("walk_in")
def post_walk_in():
    data, station, event = json_body(), current_station(), get_event()
    location = station.location or auth.default_location("reception", event)
    if location is None:
        raise BadRequest("invalid", "deze post heeft geen plaats en het evenement geen onthaal")
    clock = get_clock()
    try:
        person, result = register_walk_in(get_db(), event, data, location, clock, station.id)
    except WalkInError as exc:
        return api_error(400, "invalid", str(exc), field=exc.field)
    live.changed(current_app)
    body = present.scan_result(result, event, _counts(), clock.now())
    body["badge"] = {fmt: url_for("api.attendee_badge", attendee_id=person.id, fmt=fmt)
                     for fmt in ("png", "pdf")}
    body["print_job"] = printing.job_json(printing.print_for(station, person.id, "walk_in"))
    return jsonify(body), 201


@bp.get("/attendees/<int:attendee_id>/badge.<fmt>")
@api_requires("badge")
def attendee_badge(attendee_id: int, fmt: str):
    """One badge, for a walk-in or a reprint: PNG (300 dpi) or PDF (?layout=a6|cr80)."""
    from kiosk.printing import badge, sheets
    from kiosk.printing.face import face_of

    person = attendee_store.get(get_db(), attendee_id)
    if person is None:
        return api_error(404, "not_found", "Onbekende deelnemer.")
    # Rendering takes a tenth of a second or more: off the server's event loop
    # (kiosk.serving.green).
    if fmt == "png":
        return Response(green.offload(badge.badge_png, face_of(person), get_event()),
                        mimetype="image/png")
    if fmt == "pdf":
        layout = request.args.get("layout", "a6")
        if layout not in ("a6", "cr80"):
            raise BadRequest("invalid", "layout is a6 of cr80")
        pdf = green.offload(sheets.badge_pdf, face_of(person), get_event(), layout=layout)
        # A GET changes nothing (any <img> or prefetch could send it): the desk says it
        # printed the badge with POST …/printed.
        return Response(pdf, mimetype="application/pdf")
    return api_error(404, "not_found", "Kies badge.png of badge.pdf.")


@bp.post("/attendees/<int:attendee_id>/printed")
@api_requires("badge")
def badge_printed(attendee_id: int):
    """The desk printed this badge: the next `badges --only-changed` run must not print
    it again. Its body may say which badge version was printed ({"version": n})."""
    db = get_db()
    person = attendee_store.get(db, attendee_id)
    if person is None:
        return api_error(404, "not_found", "Onbekende deelnemer.")
    version = json_body().get("version", person.badge_version) if request.data else \
        person.badge_version
    if not isinstance(version, int) or isinstance(version, bool) or \
            not 1 <= version <= person.badge_version:
        raise BadRequest("invalid", f"version is een badgeversie van 1 tot {person.badge_version}")
    with transaction(db):
        attendee_store.mark_printed(db, {person.id: version})
    return jsonify({"id": person.id, "printed_version": version,
                    "badge_version": person.badge_version})


@bp.get("/headcounts")
@api_requires("station")
def get_headcounts():
    """The same snapshot the dashboards receive over Socket.IO, cut for this station."""
    station = current_station()
    full = live.snapshot(get_db(), get_event(), get_clock())
    broadcaster = current_app.extensions["kiosk.web.live"]
    return jsonify(dict(snapshots.for_role(full, station.role, station.location),
                        seq=broadcaster.seq))


@bp.get("/me")
@api_requires("station")
def me():
    station = current_station()
    return jsonify({"id": station.id, "name": station.name, "role": station.role,
                    "location": station.location})
