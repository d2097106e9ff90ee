"""The web face: one blueprint per audience, and the security headers every page gets."""

from __future__ import annotations

from flask import Flask, Response

# No inline script anywhere: templates hand data over in data- attributes. The QR decoder
# is WebAssembly, which needs 'wasm-unsafe-eval' (not 'unsafe-eval').
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
       "connect-src 'self' ws: wss:; worker-src 'self' blob:; frame-ancestors 'none'; "
       "base-uri 'none'; form-action 'self'")


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def register_blueprints(app: Flask) -> None:
    from kiosk.web import api, pairing, reception, status

    app.register_blueprint(pairing.bp)
    app.register_blueprint(status.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(reception.bp)
    app.after_request(_security_headers)
