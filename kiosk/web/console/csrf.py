"""A token in every console form: a write must come from a page we served.

Why on top of the app's same-origin check (kiosk.web._same_origin_writes): that check
refuses a write whose Origin header names another site, but lets one without an Origin
through (older browsers, privacy add-ons that strip it), and the SameSite=Lax cookie still
travels with a form posted from another port or name of the same host, which on a venue
network of bare IP addresses is the same "site". The console's forms import lists, cancel
registrations and print badges: worth a secret the other page cannot read.

The token is an HMAC of the paired station's id under the app's secret key: nothing is
written to the session for it (a session write racing the page's other requests, the
dashboard's socket, a badge image, could drop a stored token and refuse a good form), it
cannot be made without the secret, and it is compared in constant time. It changes with
the station: pairing anew as another station, or a new secret key, expires old forms.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import abort, current_app, request

from kiosk.web.access import current_station

FIELD = "csrf"
HEADER = "X-CSRF-Token"


def token() -> str:
    """The token of the station this browser is paired as ('' when it is not paired)."""
    station = current_station()
    if station is None:
        return ""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"kiosk-console:{station.id}".encode(), hashlib.sha256).hexdigest()


def check() -> None:
    """403 unless a write carries the token (form field or header)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.headers.get(HEADER) or request.form.get(FIELD) or ""
    expected = token()
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(403, "csrf")
