"""What every JSON blueprint shares: a small body limit, JSON errors, reading the body.

Malformed JSON, oversized bodies and wrong types get a clear 4xx with
`{"error": code, "message": words}` and write nothing. A body nested deeper than any
station sends (MAX_DEPTH) and text with lone surrogates ("\\ud800": valid JSON, but no
text SQLite can store as UTF-8) are refused here too, before any view sees them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import HTTPException

from kiosk.text import has_surrogates
from kiosk.web.access import api_error

MAX_JSON_BYTES = 16 * 1024
MAX_DEPTH = 8  # a walk-in form is 2 deep ({"sessions": {...}}); a scan 1
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(rb"[\[\]{}]")


class BadRequest(Exception):
    def __init__(self, error: str, message: str, status: int = 400):
        super().__init__(message)
        self.error, self.message, self.status = error, message, status


def blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /api whose errors are JSON and whose bodies are small."""
    bp = Blueprint(name, import_name, url_prefix="/api")
    bp.before_request(_limit_body)
    bp.register_error_handler(BadRequest, _bad_request)
    bp.register_error_handler(HTTPException, _http_error)
    return bp


def _limit_body() -> None:
    request.max_content_length = MAX_JSON_BYTES  # per request (Flask >= 3.1)


def _bad_request(exc: BadRequest):
    return api_error(exc.status, exc.error, exc.message)


def _http_error(exc: HTTPException):
    if exc.code == 413:
        return api_error(413, "too_large", f"Verzoek te groot (hoogstens {MAX_JSON_BYTES} bytes).")
    response = api_error(exc.code or 500, exc.name.lower().replace(" ", "_"),
                         exc.description or "")
    if exc.code == 429:  # kiosk.web.throttle: say when to try again
        response.headers.update({k: v for k, v in exc.get_headers() if k == "Retry-After"})
    return response


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    raw = request.get_data(cache=False)
    if _nesting(raw) > MAX_DEPTH:
        raise BadRequest("malformed_json", f"JSON te diep genest (hoogstens {MAX_DEPTH} niveaus).")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadRequest("malformed_json", "Geen geldige JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("malformed_json", "Verwacht een JSON-object.")
    _check_text(data)
    return data


def _nesting(raw: bytes) -> int:
    """How deep the brackets of a JSON text go (those inside strings not counted), without
    parsing it: json.loads recurses once per level."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return 0  # the common case (a scan): nothing to count
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub(b"", raw)):
        depth += 1 if bracket in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _check_text(value: Any, key: str = "") -> None:
    """Every string in the body (keys too) is text that can be stored and shown."""
    if isinstance(value, dict):
        for name, item in value.items():
            _check_text(name, name)
            _check_text(item, name)
    elif isinstance(value, list):
        for item in value:
            _check_text(item, key)
    elif isinstance(value, str) and has_surrogates(value):
        where = f"{key}: " if key else ""
        raise BadRequest("invalid", f"{where}bevat ongeldige tekens (losse surrogaten).")


def string_or_none(data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRequest("invalid", f"{key} moet tekst zijn")
    return value
