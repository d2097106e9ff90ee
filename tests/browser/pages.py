"""Test-only pages, registered on an app by the browser tests and never by kiosk itself.

They are served with the strict Content-Security-Policy the real pages aim for (no inline
script or style, nothing from another origin), so a test that passes here also proves the
scanner needs nothing that such a policy forbids.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, Response, send_from_directory

HERE = Path(__file__).parent

# 'wasm-unsafe-eval' is what compiling the zxing .wasm needs; nothing looser.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

SCANNER_PAGE = """<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <title>scanner test</title>
  <script type="module" src="/__test__/scanner_page.js"></script>
</head>
<body>
  <video id="video" width="640" height="480"></video>
  <p>state: <output id="state">-</output></p>
  <ol id="codes"></ol>
  <label>wedge <input id="wedge"></label>
  <ol id="wedge-codes"></ol>
  <label>search <input id="search" type="search"></label>
  <button id="button" type="button">a button</button>
</body>
</html>
"""

bp = Blueprint("browser_test_pages", __name__, url_prefix="/__test__")


@bp.get("/scanner")
def scanner_page() -> Response:
    """A bare page that runs static/js/scanner.js and lists what it reports."""
    return Response(SCANNER_PAGE, mimetype="text/html")


@bp.get("/<name>.js")
def script(name: str) -> Response:
    """The test pages' own modules, from tests/browser/."""
    return send_from_directory(HERE, f"{name}.js", mimetype="text/javascript")


@bp.after_request
def strict_csp(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    return response


def register(app: Flask) -> Flask:
    """Add the test pages to `app` (before its first request) and return it."""
    app.register_blueprint(bp)
    return app
