"""The headers every response carries: what the browser may run, cache and send back.

- Content-Security-Policy: scripts only from our own static files (no inline script, no
  eval; the QR decoder's WebAssembly needs 'wasm-unsafe-eval'), styles from our own files
  plus the one <style> of base.html (the event's colours), allowed by a nonce that is new
  with every page; no inline style attributes, no event handler attributes. A generated
  report opened in a tab gets a policy of its own: its inline styles, no script at all.
- Over HTTPS (`serve --self-signed` or `--cert`): HSTS, and the session cookie of a paired
  tablet is `Secure`, so it never travels over plain http on the venue network.
- `Cache-Control: no-store` on the pages and answers that show a pairing token: a token in
  a browser's cache or history pairs a device for whoever finds it.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface

HSTS = "max-age=31536000"  # a year; no includeSubDomains: the venue's names are not ours
# Endpoints whose answer holds a station's pairing token (or redirects from one).
TOKEN_PAGES = frozenset({"pairing.pair", "pairing.landing", "stations.add", "stations.index",
                         "manage.add_station"})


def policy(nonce: str | None) -> str:
    """The Content-Security-Policy; with a nonce when the page has a <style> of its own."""
    styles = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
            f"style-src {styles}; img-src 'self' data: blob:; media-src 'self' blob:; "
            "connect-src 'self' ws: wss:; worker-src 'self' blob:; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'self'; object-src 'none'")


# A generated file opened in a tab (the report, kiosk/report/html.py): self-contained, its
# styles inline, its charts data: images, and no script at all.
FILE_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
FILE_PAGES = frozenset({"jobs.download"})


def csp_nonce() -> str:
    """This page's nonce for its <style> (made on first use, one per request)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def _add_headers(response: Response) -> Response:
    headers = response.headers
    own = FILE_POLICY if request.endpoint in FILE_PAGES else policy(g.get("csp_nonce"))
    headers.setdefault("Content-Security-Policy", own)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # same-origin, not no-referrer: with no-referrer, browsers send "Origin: null" on form
    # posts, which the same-origin check for writes would refuse.
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint in TOKEN_PAGES or request.path.startswith("/pair/"):
        headers["Cache-Control"] = "no-store"
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS (the
    same app also serves plain http on localhost, where a Secure cookie would be lost)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        secure = has_request_context() and request.is_secure
        return bool(super().get_cookie_secure(app) or secure)


def init_app(app: Flask) -> None:
    """Register the headers on every response, the nonce for templates, the cookie."""
    app.session_interface = SessionInterface()
    app.after_request(_add_headers)
    app.context_processor(lambda: {"csp_nonce": csp_nonce})
