"""Error pages: every 4xx and 5xx a person can meet, in Dutch (English with the EN
switch), in the house style, saying what to do next. The JSON API keeps JSON bodies.

Views that know why they refuse say so with a reason key (`abort(404, "bad_pairing")`);
the words live here, in both languages. A description a view wrote itself (Dutch, for
one case) is shown as it is; Werkzeug's English defaults never are.

Blueprints with a handler of their own (the JSON API, the organiser's console) keep it:
this one answers everything else, including URLs that match no route at all.
"""

from __future__ import annotations

from flask import Flask, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException, InternalServerError

from kiosk.web.access import api_error

# status: (title, what happened and what to do next), per language.
STATUS: dict[str, dict[int, tuple[str, str]]] = {
    "nl": {
        400: ("Ongeldig verzoek", "Het formulier of de link is onvolledig of beschadigd. "
                                  "Ga terug, laad de pagina opnieuw en probeer het nog eens."),
        401: ("Niet aangemeld", "Dit toestel is niet (meer) gekoppeld. Scan de koppel-QR-code "
                                "die de organisator toont, of vraag de organisator om een "
                                "nieuwe koppelcode."),
        403: ("Geen toegang", "Dit toestel mag deze pagina niet openen. Koppel het opnieuw met "
                              "de koppelcode van de organisator."),
        404: ("Niet gevonden", "Deze pagina bestaat niet (meer). Kijk het adres na, of ga naar "
                               "de startpagina."),
        405: ("Niet toegestaan", "Dit adres werkt niet op deze manier. Ga terug naar de "
                                 "startpagina."),
        413: ("Te groot", "Wat je stuurde is te groot. Kies een kleiner bestand."),
        500: ("Fout op de server", "Er ging iets mis op de server. Laad de pagina over enkele "
                                   "seconden opnieuw. Blijft het misgaan? Meld het aan de "
                                   "organisator; aan het onthaal werkt de papieren lijst altijd."),
    },
    "en": {
        400: ("Bad request", "The form or link is incomplete or damaged. Go back, reload the "
                             "page and try again."),
        401: ("Not signed in", "This device is not (or no longer) paired. Scan the pairing QR "
                               "code the organiser shows, or ask the organiser for a new "
                               "pairing code."),
        403: ("Not allowed", "This device may not open this page. Pair it again with the "
                             "organiser's pairing code."),
        404: ("Not found", "This page does not exist (any more). Check the address, or go to "
                           "the start page."),
        405: ("Not allowed", "This address does not work this way. Go back to the start page."),
        413: ("Too large", "What you sent is too large. Pick a smaller file."),
        500: ("Server error", "Something went wrong on the server. Reload the page in a few "
                              "seconds. Still going wrong? Tell the organiser; the paper list "
                              "at the reception desk always works."),
    },
}

# Reasons a view gives with abort(code, "key").
REASONS: dict[str, dict[str, str]] = {
    "nl": {
        "bad_pairing": "Deze koppelcode is ongeldig of ingetrokken. Vraag de organisator om "
                       "een nieuwe koppelcode en scan die met de camera van dit toestel.",
        "csrf": "Dit formulier is verlopen of komt niet van deze pagina. Laad de pagina "
                "opnieuw en probeer het nog eens.",
        "origin": "Dit formulier kwam van een andere website en werd daarom geweigerd. Open "
                  "de pagina opnieuw via het adres van de server.",
    },
    "en": {
        "bad_pairing": "This pairing code is invalid or was revoked. Ask the organiser for a "
                       "new pairing code and scan it with this device's camera.",
        "csrf": "This form has expired or did not come from this page. Reload the page and "
                "try again.",
        "origin": "This form came from another website and was refused. Open the page again "
                  "through the server's address.",
    },
}

OTHER = {"nl": ("Dat lukte niet", "Ga terug en probeer het opnieuw."),
         "en": ("That did not work", "Go back and try again.")}

# Who a page is for, by the endpoint's blueprint, and each role's own page.
AUDIENCE = {
    "reception": ("het onthaal", "the reception desk"),
    "printing_page": ("het onthaal", "the reception desk"),
    "kiosk": ("de kiosk", "the self check-in kiosk"),
    "screens.caterer": ("de keuken", "the kitchen"),
    "screens.host": ("de zaalverantwoordelijken", "the room hosts"),
}
ORGANISER = ("de organisator", "the organiser")
OWN_PAGE = {
    "reception": ("de onthaalpagina", "the reception page"),
    "caterer": ("het keukenscherm", "the kitchen screen"),
    "host": ("het zaalscherm", "the room screen"),
    "organiser": ("het dashboard van de organisator", "the organiser's dashboard"),
    "kiosk": ("de kiosk", "the kiosk"),
}
ROLE = {
    "reception": ("onthaal", "reception"), "caterer": ("catering", "caterer"),
    "host": ("zaalverantwoordelijke", "room host"), "organiser": ("organisator", "organiser"),
    "kiosk": ("kiosk", "kiosk"),
}
THEIRS = {
    "nl": "Deze pagina is voor {audience}. Dit toestel is gekoppeld als {role}: jouw pagina "
          "is {own}. Moet dit toestel iets anders doen? Vraag de organisator om een nieuwe "
          "koppelcode.",
    "en": "This page is for {audience}. This device is paired as {role}: your page is {own}. "
          "Should this device do something else? Ask the organiser for a new pairing code.",
}
LINKS = {"nl": {"home": "Naar de startpagina", "own": "Naar {own}", "switch": "English"},
         "en": {"home": "To the start page", "own": "To {own}", "switch": "Nederlands"}}


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle)


def handle(exc: HTTPException) -> ResponseReturnValue:
    """A page for people, JSON for the API (and for anything that asked for JSON only)."""
    if _wants_json():
        message = REASONS["nl"].get(exc.description or "") or STATUS["nl"].get(
            exc.code or 500, OTHER["nl"])[1]
        return api_error(exc.code or 500, _error_code(exc), message)
    try:
        return page(exc)
    except Exception:  # an error page must never fail: plain words, then
        title, text = STATUS["nl"].get(exc.code or 500, OTHER["nl"])
        return f"{exc.code} {title}\n\n{text}\n", exc.code or 500, {
            "Content-Type": "text/plain; charset=utf-8"}


def page(exc: HTTPException) -> ResponseReturnValue:
    """The error page itself (also used by the console for what is not its own)."""
    from kiosk.web.context import get_event
    from kiosk.web.i18n import current_language

    lang = current_language()
    code = exc.code or 500
    title, text = STATUS[lang].get(code, OTHER[lang])
    link = {"url": url_for("pairing.landing"), "words": LINKS[lang]["home"]}
    reason = "origin" if code == 403 and _foreign_origin() else exc.description or ""
    if reason in REASONS[lang]:
        text = REASONS[lang][reason]
    elif code == 403 and request.method == "GET":
        text, link = _not_theirs(lang) or (text, link)
    elif _own_words(exc):
        text = reason
    return render_template("error.html", event=get_event(), lang=lang, code=code, title=title,
                           text=text, link=link, switch=_switch(lang)), code


def _not_theirs(lang: str) -> tuple[str, dict] | None:
    """A paired station on a page of another role: whose page this is, and which is theirs."""
    from kiosk.web.access import current_station
    from kiosk.web.pairing import HOME, home_url

    station = current_station()
    if station is None or station.role not in OWN_PAGE or \
            request.endpoint == HOME.get(station.role):
        return None  # not paired, or refused on its own page: the general words
    index = 0 if lang == "nl" else 1
    endpoint = request.endpoint or ""
    audience = AUDIENCE.get(endpoint) or AUDIENCE.get(endpoint.split(".")[0]) or ORGANISER
    own = OWN_PAGE[station.role][index]
    text = THEIRS[lang].format(audience=audience[index], role=ROLE[station.role][index], own=own)
    return text, {"url": home_url(station.role), "words": LINKS[lang]["own"].format(own=own)}


def _own_words(exc: HTTPException) -> bool:
    """A description a view wrote (not Werkzeug's English default for the status)."""
    default = type(exc).description
    return bool(exc.description) and exc.description != default and \
        not isinstance(exc, InternalServerError)


def _foreign_origin() -> bool:
    """A write refused by the same-origin check (kiosk.web._same_origin_writes)."""
    origin = request.headers.get("Origin")
    return request.method not in ("GET", "HEAD", "OPTIONS") and bool(origin) and \
        origin != request.host_url.rstrip("/")


def _switch(lang: str) -> dict:
    other = "en" if lang == "nl" else "nl"
    return {"url": f"{request.path}?lang={other}", "words": LINKS[lang]["switch"],
            "lang": other}


def _wants_json() -> bool:
    if request.path == "/api" or request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def _error_code(exc: HTTPException) -> str:
    """'not_found', 'method_not_allowed', …: the machine-readable side of the status."""
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")
