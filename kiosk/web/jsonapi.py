"""What every JSON blueprint shares: a small body limit, JSON errors, reading the body.

Malformed JSON, oversized bodies and wrong types get a clear 4xx with
`{"error": code, "message": words}` and write nothing.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import HTTPException

from kiosk.web.access import api_error

MAX_JSON_BYTES = 16 * 1024


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
    return api_error(exc.code or 500, exc.name.lower().replace(" ", "_"), exc.description or "")


def json_body() -> dict[str, Any]:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    raw = request.get_data(cache=False)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("malformed_json", "Geen geldige JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("malformed_json", "Verwacht een JSON-object.")
    return data


def string_or_none(data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise BadRequest("invalid", f"{key} moet tekst zijn")
    return value
