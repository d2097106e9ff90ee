"""Who is asking: the station behind a Bearer token or a paired browser session, and the
decorators that let only the right roles in."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, g, jsonify, redirect, request, session, url_for
from werkzeug.exceptions import TooManyRequests

from kiosk.checkin import auth
from kiosk.store.stations import Station
from kiosk.web.context import get_db
from kiosk.web.throttle import FAILURES, WINDOW, AuthThrottle


def current_station() -> Station | None:
    """The station making this request (token first, then the paired session), or None."""
    if "station" not in g:
        g.station = _from_token() or _from_session()
    return g.station


def _from_token() -> Station | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token_station(token.strip())


def token_station(token: str) -> Station | None:
    """The station behind a token (a Bearer header, /pair/TOKEN), counting wrong ones per
    address: too many, and the address waits (429, kiosk.web.throttle)."""
    throttle, address = _throttle(), request.remote_addr or "?"
    wait = throttle.retry_after(address)
    if wait:
        raise TooManyRequests(f"Te veel ongeldige sleutels vanaf dit adres: probeer over "
                              f"{wait} s opnieuw.", retry_after=wait)
    station = auth.authenticate(get_db(), token)
    if station is None:
        throttle.failed(address)
    return station


def _throttle() -> AuthThrottle:
    extensions = current_app.extensions
    if "kiosk.web.throttle" not in extensions:
        extensions["kiosk.web.throttle"] = AuthThrottle(
            current_app.config.get("AUTH_FAILURES", FAILURES),
            current_app.config.get("AUTH_WINDOW", WINDOW))
    return extensions["kiosk.web.throttle"]


def _from_session() -> Station | None:
    station_id = session.get("station_id")
    if not isinstance(station_id, int):
        return None
    station = auth.station_by_id(get_db(), station_id)
    if station is None:
        session.clear()  # revoked: the tablet has to be paired again
    return station


def sign_in(station: Station) -> None:
    """Pair this browser with a station: a long-lived signed cookie."""
    session.clear()
    session.permanent = True
    session["station_id"] = station.id


def api_error(status: int, error: str, message: str, **extra: Any):
    response = jsonify({"error": error, "message": message, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="kiosk"'
    return response


def api_requires(permission: str) -> Callable:
    """401 without a station, 403 when its role may not do this."""
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            station = current_station()
            if station is None:
                return api_error(401, "unauthorised", "Geen of ongeldige sleutel: koppel deze "
                                                      "post opnieuw.")
            if not auth.allowed(station, permission):
                return api_error(403, "forbidden", f"De rol {station.role} mag dit niet.")
            return view(*args, **kwargs)
        return wrapped
    return decorator


def page_requires(permission: str) -> Callable:
    """Pages: to the pairing page without a station; 403 for the wrong role."""
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            station = current_station()
            if station is None:
                return redirect(url_for("pairing.landing"))
            if not auth.allowed(station, permission):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
