"""A database that cannot be written (full disk, read-only file): a clear 503 instead of a
bare 500 (D11). A station's API call gets JSON it shows, and its outbox keeps the scan and
sends it again later (503 is worth a retry, static/js/outbox.js); a page gets a short
Dutch page. Any other database error is a bug and stays a 500."""

from __future__ import annotations

import sqlite3

from flask import Flask, Response, current_app, request

from kiosk.store import STORAGE_MESSAGES, storage_problem
from kiosk.web.access import api_error

RETRY_AFTER_S = 30
# What a tablet at the desk shows: short, and what to do (the admin's words are logged).
STATION_MESSAGES = {
    "read_only": "De server kan nu niets bewaren (databank alleen-lezen).",
    "full": "De server kan nu niets bewaren (schijf vol).",
    "io": "De server kan nu niets bewaren (schijffout).",
    "unavailable": "De server kan zijn databank niet openen.",
}
STATION_NOTE = (" De scan blijft op dit toestel bewaard en wordt later verstuurd."
                " Verwittig de organisator.")


def _storage_error(exc: sqlite3.Error):
    problem = storage_problem(exc)
    if problem is None:
        raise exc
    current_app.logger.error("database cannot be written: %s", exc)
    message = STORAGE_MESSAGES[problem]
    if request.path.startswith(("/api/scans", "/api/walk-ins")):
        response = api_error(503, f"storage_{problem}", STATION_MESSAGES[problem] + STATION_NOTE,
                             detail=message)
    elif request.path.startswith("/api/"):
        response = api_error(503, f"storage_{problem}", message)
    else:
        response = Response(
            f"<!doctype html><meta charset=utf-8><title>Server kan niets bewaren</title>"
            f"<h1>De server kan nu niets bewaren</h1><p>{message}</p>", status=503,
            mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(sqlite3.OperationalError, _storage_error)
    app.register_error_handler(sqlite3.DatabaseError, _storage_error)
