"""What every console blueprint shares: who may, the CSRF token, body limits, the words,
the navigation bar and error pages in Dutch (or English)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, abort, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from kiosk.checkin import auth
from kiosk.web import errors
from kiosk.web.access import current_station
from kiosk.web.console import csrf
from kiosk.web.console.words import words
from kiosk.web.context import get_event
from kiosk.web.i18n import current_language

FORM_BYTES = 256 * 1024  # an edit form, a print order: a few hundred bytes in practice
UPLOAD_BYTES = 10 * 1024 * 1024  # a registration list: STRATEGIO's is 8 kB, 10,000 rows ~2 MB
PREFIX = "/organiser"

# (key, endpoint, which endpoints light it up)
NAV = [("dashboard", "screens.organiser", ("screens.",)),
       ("stations", "stations.index", ("stations.",)),
       ("registrations", "people.index", ("people.", "imports.")),
       ("badges", "badges.index", ("badges.",)),
       ("report", "report.index", ("report.",))]


def blueprint(name: str, import_name: str, *, upload: bool = False) -> Blueprint:
    """A console blueprint under /organiser: its writes carry the CSRF token, its bodies
    are small (`upload`: a registration list), its errors are pages in words."""
    bp = Blueprint(name, import_name, url_prefix=PREFIX)
    limit = UPLOAD_BYTES if upload else FORM_BYTES

    @bp.before_request
    def _guard() -> None:
        request.max_content_length = limit  # per request (Flask >= 3.1)
        if (request.content_length or 0) > limit:  # said up front: refuse before reading
            abort(413)
        # An unpaired or other-role browser is sent away by the view's page_requires;
        # an organiser's write must carry the token.
        if auth.allowed(current_station(), "manage"):
            csrf.check()

    bp.register_error_handler(HTTPException, _error_page)
    return bp


def _error_page(exc: HTTPException):
    if exc.code not in (403, 404, 413) or (exc.code == 403 and exc.description != "csrf"
                                           and not auth.allowed(current_station(), "manage")):
        return errors.page(exc)  # the words for every status, or: which page is theirs
    w = words()
    if exc.code == 413:
        message = w["too_large"].format(mb=request.max_content_length // (1024 * 1024) or 1)
    elif exc.code == 403 and exc.description == "csrf":
        message = w["csrf_failed"]
    elif exc.code == 403:
        message = w["forbidden"]
    else:
        message = exc.description if exc.description and not exc.description.startswith(
            "The requested URL") else w["not_found"]
    return render_template("console/error.html", message=message, code=exc.code,
                           **page_context()), exc.code


def nav(active: str | None = None) -> dict:
    """The navigation bar: dashboard, stations, registrations, badges, report."""
    w = words()
    endpoint = request.endpoint or ""
    items = []
    for key, target, prefixes in NAV:
        current = key == active if active else endpoint.startswith(prefixes)
        items.append({"key": key, "url": url_for(target), "words": w[f"nav_{key}"],
                      "current": current})
    return {"items": items, "label": w["nav_label"], "lang": current_language(),
            "lang_urls": {lang: _with_lang(lang) for lang in ("nl", "en")}}


def _with_lang(lang: str) -> str:
    args = {k: v for k, v in request.args.items() if k != "lang"}
    return url_for(request.endpoint, **(request.view_args or {}), **args, lang=lang) \
        if request.endpoint else f"?lang={lang}"


def page_context() -> dict:
    """What every console template gets: the words, the token, the language, the event
    (error pages too) and a way to show a stored time in the event's time zone."""
    lang = current_language()
    event = get_event()
    return {"w": words(lang), "lang": lang, "csrf_token": csrf.token(), "event": event,
            "local_time": lambda stamp: _local(stamp, event)}


def _local(stamp: str | None, event) -> str:
    """'23/05 08:12' from a stored UTC stamp."""
    if not stamp:
        return "—"
    return dt.datetime.fromisoformat(stamp).astimezone(event.tz).strftime("%d/%m %H:%M")


def init_app(app: Flask) -> None:
    """The navigation bar is also included by pages outside the console (the dashboard,
    the stations page): a template global, computed when a template asks for it."""
    app.jinja_env.globals["console_nav"] = nav
