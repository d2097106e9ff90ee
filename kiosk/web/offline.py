"""Stations that keep working without the network: the service worker at /sw.js (the
station pages' shell in the browser's cache) and the local roster (`GET /api/roster`).

The worker's script is static/js/offline/sw.js with three things filled in: a version
(a digest of every file it keeps, so a new deployment brings a new cache), the list of
static files to fetch at install, and the station pages worth keeping.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, request

from kiosk.checkin import auth, roster, syncing
from kiosk.serving import green
from kiosk.web import jsonapi, present
from kiosk.web.access import api_requires, current_station
from kiosk.web.context import get_db, get_event

bp = Blueprint("offline", __name__)

# The pages a station opens: reception, a room's host screen, the caterer's, the kiosk.
STATION_PAGES = ("/reception", "/host", "/caterer", "/kiosk")
SHELL_SUFFIXES = (".css", ".js", ".wasm", ".svg", ".woff2", ".woff", ".png")


def shell_files(static: Path) -> list[Path]:
    """The static files a station page may need offline (source maps and docs left out)."""
    return sorted(p for p in static.rglob("*") if p.is_file() and p.suffix in SHELL_SUFFIXES
                  and p.name != "sw.js")


@functools.cache
def _worker_script(static_folder: str, static_url: str) -> str:
    static = Path(static_folder)
    files = shell_files(static)
    digest = hashlib.sha256()
    sw = static / "js" / "offline" / "sw.js"
    for path in [sw, *files]:
        digest.update(path.relative_to(static).as_posix().encode())
        digest.update(path.read_bytes())
    urls = [f"{static_url}/{p.relative_to(static).as_posix()}" for p in files]
    return (sw.read_text(encoding="utf-8")
            .replace("__VERSION__", digest.hexdigest()[:16])
            .replace("__SHELL__", json.dumps(urls))
            .replace("__PAGES__", json.dumps(list(STATION_PAGES))))


@bp.get("/sw.js")
def service_worker() -> Response:
    """The worker must come from the site's root to control every page (scope /); it is
    re-checked on each visit (no-cache) so a new version is picked up at once."""
    script = _worker_script(current_app.static_folder, current_app.static_url_path)
    response = Response(script, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


api = jsonapi.blueprint("offline_api", __name__)


def roster_salt() -> str:
    """The salt of the roster's code hashes: fixed for this server (its secret key), never
    the secret itself."""
    key = str(current_app.secret_key or "").encode()
    return hmac.new(key, b"kiosk roster salt", hashlib.sha256).hexdigest()[:32]


@api.get("/roster")
@api_requires("scan")
def get_roster():
    """`?since=VERSION`: the station's roster, or what changed in it since that version."""
    since_text = request.args.get("since", "0")
    if not since_text.isdigit() or len(since_text) > 18:
        raise jsonapi.BadRequest("invalid", "since is een versienummer (een geheel getal)")
    station, event, db = current_station(), get_event(), get_db()
    location = station.location if station.role == "host" else None
    # A whole roster of 3,000 people takes a few hundred ms: off the server's event loop
    # (kiosk.serving.green), like the name search. A delta is a handful of rows.
    body = green.offload(_roster_body, db, event, station.role, location, int(since_text),
                         roster_salt())
    return jsonify(dict(body, station=station.id))


def _roster_body(db, event, role: str, location: str | None, since: int, salt: str) -> dict:
    found = roster.delta(db, event, role, location, since)
    entries = [_entry(change, salt, event) if seen else {"id": change.attendee_id, "gone": True}
               for change, seen in found.changes]
    return {"version": found.version, "full": found.full, "salt": salt, "entries": entries}


def _entry(change, salt: str, event) -> dict:
    person = change.attendee
    return {
        "id": person.id, "h": roster.code_hash(salt, person.badge_code),
        "first_name": person.first_name, "last_name": person.last_name,
        "organisation": person.organisation, "function": person.function,
        "status": person.status,
        "sessions": present.sessions(person, event),
        "arrived_at": present.local_time(change.first_in, event),
        "note": person.note,
    }


def station_sync_rows(db, event, stations) -> dict[int, dict]:
    """station id -> its offline figures as the page and the API show them."""
    found = syncing.by_station(db)
    return {s.id: {"offline_scans": found.get(s.id, syncing.StationSync()).offline_scans,
                   "last_synced": present.local_time(
                       found.get(s.id, syncing.StationSync()).last_synced, event),
                   "flagged": found.get(s.id, syncing.StationSync()).flagged}
            for s in stations}


def flagged_rows(db, event) -> list[dict]:
    """The flagged late scans with local times (event time zone), for page and API."""
    return [{"reason": f["reason"], "station": f["station"],
             "name": f"{f['first_name'] or ''} {f['last_name'] or ''}".strip(),
             "scanned": _local_or_none(f["client_time"], event),
             "sent": present.local_time(f["recorded_at"], event)}
            for f in syncing.flagged_scans(db)]


def _local_or_none(stamp: str | None, event) -> str | None:
    try:
        return present.local_time(stamp.replace("Z", "+00:00"), event) if stamp else None
    except ValueError:
        return None


@api.get("/stations/offline")
@api_requires("manage")
def stations_offline():
    """Per station: scans made offline, when they last synced, late scans flagged."""
    db, event = get_db(), get_event()
    stations = auth.list_stations(db)
    rows = station_sync_rows(db, event, stations)
    return jsonify({
        "stations": [{"id": s.id, "name": s.name, "role": s.role, **rows[s.id]}
                     for s in stations],
        "flagged": flagged_rows(db, event),
    })
