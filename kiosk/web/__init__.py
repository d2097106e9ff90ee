"""The web face: the app factory, the pages, the JSON API and the live Socket.IO layer.

`app` (create_app, the unbound socketio), `config`, `context` (the request's database,
event and clock), `access` (which station is asking, and may it), one blueprint per
audience (`pairing`, `reception`, `screens`, `status`, `stations`, `api` for the stations,
`manage` for the organiser, `printing` for printers and the print queue, `kiosk` for the
self check-in kiosk; `jsonapi` what the JSON ones share), `present` (domain objects
as JSON), `i18n` (the words), and `live` (Socket.IO /live: snapshots pushed to the
screens; `headers` the security headers). Here is where Flask and Socket.IO are known.

May import anything of kiosk; nothing below it imports this package.
"""

from __future__ import annotations

from flask import Flask, abort, request


def _same_origin_writes() -> None:
    """A browser that sends an Origin with a write must be on our own origin. The session
    cookie is SameSite=Lax already; this closes the door for older browsers too."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    origin = request.headers.get("Origin")
    if origin and origin != request.host_url.rstrip("/"):
        abort(403)


def _clock_context() -> dict:
    """Every page shows the event time it works with, and says so loudly in a rehearsal:
    `clock_state` for static/js/clock.js, `clock_hhmm` and the band's words."""
    from kiosk.web.context import get_clock
    from kiosk.web.i18n import rehearsal_band

    clock = get_clock()
    return {"clock_state": clock.describe(), "clock_hhmm": clock.now().strftime("%H:%M"),
            "band": rehearsal_band(clock)}


def register_blueprints(app: Flask) -> None:
    from kiosk.web import (
        api,
        console,
        errors,
        headers,
        kiosk,
        manage,
        offline,
        pairing,
        printing,
        reception,
        screens,
        stations,
        status,
        storage,
    )

    app.register_blueprint(pairing.bp)
    app.register_blueprint(printing.bp)
    app.register_blueprint(printing.pages)
    app.register_blueprint(kiosk.bp)
    app.register_blueprint(kiosk.pages)
    app.register_blueprint(status.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(manage.bp)
    app.register_blueprint(reception.bp)
    app.register_blueprint(screens.bp)
    app.register_blueprint(stations.bp)
    app.register_blueprint(offline.bp)  # /sw.js
    app.register_blueprint(offline.api)  # /api/roster
    storage.init_app(app)  # a full disk or a read-only database: 503 (D11)
    console.register(app)  # the organiser's console (kiosk.web.console)
    errors.init_app(app)  # pages in words for what no blueprint answers itself
    app.before_request(_same_origin_writes)
    headers.init_app(app)  # CSP, HSTS, no-store, the Secure cookie (kiosk.web.headers)
    app.context_processor(_clock_context)
