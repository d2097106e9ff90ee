"""The organiser's JSON API: stations, the registration list, the rehearsal clock.

What the simulator (`python -m kiosk simulate`) and scripts use to run a rehearsal through
the real service; the organiser's own pages use the same services. Organiser role only
(`manage`).
"""

from __future__ import annotations

from flask import current_app, jsonify, url_for

from kiosk.checkin import auth
from kiosk.checkin.auth import StationError
from kiosk.clock import ClockError, parse_speed, parse_time
from kiosk.rehearsal import wipe
from kiosk.store import attendees as attendee_store
from kiosk.web import live, publicurl
from kiosk.web.access import api_error, api_requires
from kiosk.web.context import get_clock, get_db, get_event
from kiosk.web.jsonapi import BadRequest, blueprint, json_body, string_or_none

bp = blueprint("manage", __name__)


@bp.post("/stations")
@api_requires("manage")
def add_station():
    """Pair a new station: {"role", "name", "location"?} -> its token (shown once)."""
    data = json_body()
    role, name = string_or_none(data, "role") or "", string_or_none(data, "name") or ""
    try:
        station, token = auth.create_station(get_db(), get_event(), role, name[:80],
                                             string_or_none(data, "location"))
    except StationError as exc:
        raise BadRequest("invalid", str(exc)) from None
    return jsonify({"id": station.id, "name": station.name, "role": station.role,
                    "location": station.location, "token": token,
                    "pair_url": publicurl.current().pair_url(
                        url_for("pairing.pair", token=token))}), 201


@bp.post("/stations/<int:station_id>/revoke")
@api_requires("manage")
def revoke_station(station_id: int):
    if not auth.revoke_station(get_db(), station_id):
        return api_error(404, "not_found", f"Geen actieve post met nummer {station_id}.")
    live.revoked(current_app, station_id)
    return jsonify({"id": station_id, "revoked": True})


@bp.get("/registrations")
@api_requires("manage")
def registrations():
    """Everyone on the list with their badge code and choices (what the export holds)."""
    return jsonify({"attendees": [
        {"id": a.id, "first_name": a.first_name, "last_name": a.last_name,
         "organisation": a.organisation, "status": a.status, "code": a.badge_code,
         "sessions": a.sessions, "meals": a.meals}
        for a in attendee_store.all_attendees(get_db())]})


@bp.get("/clock")
@api_requires("station")
def get_clock_state():
    """{now, speed, rehearsal, event}: the service's event time, how its clock runs, and
    which event it serves."""
    event = get_event()
    return jsonify(dict(get_clock().describe(),
                        event={"name": event.name, "date": event.date.isoformat()}))


@bp.put("/clock")
@api_requires("manage")
def set_clock():
    """Move a rehearsal clock: {"at"?: "12:15" or ISO 8601, "speed"?: 20}. The real clock
    is never moved (409)."""
    data, clock, event = json_body(), get_clock(), get_event()
    if not clock.rehearsal:
        return api_error(409, "real_clock", "De dienst loopt op de echte klok; die verzet je "
                                            "niet. Start een repetitie met --clock.")
    at, speed = data.get("at"), data.get("speed")
    if at is None and speed is None:
        raise BadRequest("invalid", "geef at (een tijdstip) of speed (een getal)")
    if at is not None and not isinstance(at, str):
        raise BadRequest("invalid", "at moet tekst zijn, bv. \"12:15\"")
    if speed is not None and (isinstance(speed, bool) or not isinstance(speed, int | float)):
        raise BadRequest("invalid", "speed moet een getal zijn")
    try:
        start = parse_time(at, event.date, event.tz) if at is not None else clock.now()
        clock.set(start, parse_speed(speed) if speed is not None else None)
    except ClockError as exc:
        raise BadRequest("invalid", str(exc)) from None
    live.changed(current_app)  # every screen shows the new time at once
    return jsonify(clock.describe())


@bp.post("/rehearsal/reset")
@api_requires("manage")
def reset_rehearsal():
    """Wipe what rehearsals left (their scans and walk-ins); the real day stays."""
    wiped = wipe.rehearsals(get_db())
    live.changed(current_app)
    return jsonify({"movements": wiped.movements, "walk_ins": wiped.walk_ins})
