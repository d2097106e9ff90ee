"""Words on the screens: Dutch by default, English available (?lang=en, remembered).

A plain dictionary rather than gettext catalogues: a few dozen phrases shared between the
templates and the scripts (handed over as JSON), edited by whoever edits the screens.
"""

from __future__ import annotations

from flask import request, session

LANGUAGES = ("nl", "en")

STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        "checked_in": "Welkom",
        "checked_out": "Tot ziens",
        "already": "Al aangemeld",
        "already_at": "al aangemeld om {time}",
        "already_here": "al in deze zaal",
        "unknown": "Onbekende code",
        "unknown_help": "Geen badge van dit evenement. Zoek de persoon op naam.",
        "cancelled": "Inschrijving geannuleerd",
        "cancelled_help": "Deze inschrijving werd geannuleerd. Registreer opnieuw als "
                          "nieuwe deelnemer als dat mag.",
        "session": "Werksessie",
        "arrived": "aangekomen",
        "expected": "verwacht",
        "search": "Zoek op naam",
        "clock": "klok van het evenement",
        "search_placeholder": "Typ een naam…",
        "check_in": "Aanmelden",
        "checked_in_short": "aangemeld",
        "undo": "Ongedaan maken",
        "undone": "Aanmelding ongedaan gemaakt",
        "walk_in": "Nieuwe deelnemer",
        "first_name": "Voornaam",
        "last_name": "Familienaam",
        "organisation": "Bestuur of organisatie",
        "function": "Functie",
        "email": "E-mailadres (niet verplicht)",
        "diet": "Dieetwensen of allergieën",
        "no_session": "geen werksessie",
        "save_and_check_in": "Inschrijven en aanmelden",
        "cancel": "Annuleren",
        "print_badge": "Badge afdrukken",
        "manual_code": "Code intypen",
        "camera_starting": "Camera start…",
        "camera_scanning": "Houd de badge voor de camera",
        "camera_none": "Geen camera beschikbaar: gebruik de handscanner of zoek op naam.",
        "camera_denied": "Geen toegang tot de camera. Sta de camera toe in de browser.",
        "camera_error": "De camera werkt niet. Gebruik de handscanner of zoek op naam.",
        "torch": "Lamp",
        "offline": "Geen verbinding: scans wachten",
        "online": "Verbonden",
        "waiting": "wachten",
        "error": "Er ging iets mis",
        "no_results": "Niemand gevonden",
        "cancelled_short": "geannuleerd",
        "other": "Andere",
        "camera_insecure": "Camera werkt alleen via https: open het https-adres van de server.",
        "queued": "Scan bewaard",
        "queued_help": "Geen verbinding. De scan wordt verstuurd zodra het netwerk "
            "terug is: laat de persoon gerust door.",
        "offline_short": "offline",
        "offline_pending": "offline — wacht op verzending",
        "delivered_one": "1 scan verzonden om {time}",
        "delivered_many": "{n} scans verzonden om {time}",
        "sending": "Versturen…",
        "waiting_one": "1 scan wacht",
        "waiting_many": "{n} scans wachten",
        "sent_later": "Nagestuurd",
        "tap_to_search": "Tik op het scherm om op naam te zoeken",
        "tap_to_close": "Tik op het scherm om verder te gaan",
        "walk_in_done": "Ingeschreven en aangemeld",
        "print_help": "Druk de badge af en geef hem mee.",
        "wedge_ready": "Handscanner klaar",
        "wedge_away": "Handscanner: tik hier om te scannen",
        "scanned_in_form": "Er werd een badge gescand in dit formulier. Die scan telt "
            "niet: scan opnieuw als het formulier dicht is.",
    },
    "en": {
        "checked_in": "Welcome",
        "checked_out": "Goodbye",
        "already": "Already checked in",
        "already_at": "already checked in at {time}",
        "already_here": "already in this room",
        "unknown": "Unknown code",
        "unknown_help": "Not a badge of this event. Search the person by name.",
        "cancelled": "Registration cancelled",
        "cancelled_help": "This registration was cancelled. Register as a new participant "
                          "if allowed.",
        "session": "Work session",
        "arrived": "arrived",
        "expected": "expected",
        "search": "Search by name",
        "clock": "event clock",
        "search_placeholder": "Type a name…",
        "check_in": "Check in",
        "checked_in_short": "checked in",
        "undo": "Undo",
        "undone": "Check-in undone",
        "walk_in": "New participant",
        "first_name": "First name",
        "last_name": "Last name",
        "organisation": "Organisation",
        "function": "Job title",
        "email": "E-mail (optional)",
        "diet": "Dietary needs or allergies",
        "no_session": "no work session",
        "save_and_check_in": "Register and check in",
        "cancel": "Cancel",
        "print_badge": "Print badge",
        "manual_code": "Type a code",
        "camera_starting": "Starting camera…",
        "camera_scanning": "Hold the badge in front of the camera",
        "camera_none": "No camera available: use the handheld scanner or search by name.",
        "camera_denied": "No access to the camera. Allow the camera in the browser.",
        "camera_error": "The camera does not work. Use the handheld scanner or search by name.",
        "torch": "Light",
        "offline": "Offline: scans are waiting",
        "online": "Connected",
        "waiting": "waiting",
        "error": "Something went wrong",
        "no_results": "Nobody found",
        "cancelled_short": "cancelled",
        "other": "Other",
        "camera_insecure": "The camera only works over https: open the server's https address.",
        "queued": "Scan saved",
        "queued_help": "No connection. The scan is sent as soon as the network is "
            "back: let the person through.",
        "offline_short": "offline",
        "offline_pending": "offline — waiting to be sent",
        "delivered_one": "1 scan sent at {time}",
        "delivered_many": "{n} scans sent at {time}",
        "sending": "Sending…",
        "waiting_one": "1 scan waiting",
        "waiting_many": "{n} scans waiting",
        "sent_later": "Sent later",
        "tap_to_search": "Tap the screen to search by name",
        "tap_to_close": "Tap the screen to continue",
        "walk_in_done": "Registered and checked in",
        "print_help": "Print the badge and hand it over.",
        "wedge_ready": "Handheld scanner ready",
        "wedge_away": "Handheld scanner: tap here to scan",
        "scanned_in_form": "A badge was scanned into this form. That scan does not "
            "count: scan again once the form is closed.",
    },
}


def rehearsal_band(clock) -> dict[str, str] | None:
    """The words of the band every page shows on a rehearsal clock (None on the real one)."""
    if not clock.rehearsal:
        return None
    words = BAND[current_language()]
    title = f"{words['title']} ×{clock.speed:g}" if clock.speed else \
        f"{words['title']} · {words['stopped']}"
    return {"title": title, "time": words["time"], "note": words["note"]}


BAND = {
    "nl": {"title": "REPETITIE", "stopped": "klok staat stil", "time": "gesimuleerde tijd",
           "note": "oefening: geen echte aanmeldingen"},
    "en": {"title": "REHEARSAL", "stopped": "clock stopped", "time": "simulated time",
           "note": "practice: no real check-ins"},
}


def current_language() -> str:
    """?lang= wins and is remembered in the session; Dutch otherwise."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "nl"


def strings(lang: str | None = None) -> dict[str, str]:
    return STRINGS[lang or current_language()]


# The self check-in kiosk: both languages go to the page, since each guest may switch and
# the next one starts in Dutch again (static/js/kiosk.js).
KIOSK_STRINGS: dict[str, dict[str, str]] = {
    "nl": {
        "hello": "Welkom!",
        "intro": "Meld je hier aan: scan je badge of de QR-code uit je e-mail",
        "or_type": "of typ je naam",
        "placeholder": "Typ je voornaam of familienaam…",
        "pick": "Ben jij dit? Tik op je naam.",
        "too_many": "Meer dan {n} mensen passen hierbij: typ wat meer van je naam.",
        "none_found": "We vinden niemand met die naam.",
        "welcome": "Welkom, {name}!",
        "welcome_back": "Welkom terug, {name}!",
        "already": "Je was al aangemeld om {time}.",
        "session": "Jouw werksessie",
        "no_session": "Geen werksessie gekozen? Vraag het even aan het onthaal.",
        "printing": "Je badge wordt afgedrukt…",
        "printed": "Je badge ligt klaar in de printer.",
        "print_failed": "De printer werkt even niet: je badge ligt klaar aan het onthaal.",
        "to_reception": "Ga even naar het onthaal",
        "unknown": "Deze code kennen we niet.",
        "cancelled": "Je inschrijving staat als geannuleerd.",
        "not_found_help": "Vind je jezelf niet? Aan het onthaal helpen we je verder.",
        "error": "Er ging iets mis.",
        "reception_help": "Daar helpen we je meteen verder.",
        "done": "Klaar",
        "back": "Terug",
        "staff": "Personeel",
        "pin_title": "Pincode van het personeel",
        "pin_wrong": "Foute pincode",
        "pin_locked": "Te veel foute pincodes: wacht een minuut.",
        "leave": "Kiosk verlaten",
        "cancel": "Annuleren",
        "other_language": "English",
        "offline": "Geen verbinding met de server. Ga even naar het onthaal.",
    },
    "en": {
        "hello": "Welcome!",
        "intro": "Check in here: scan your badge or the QR code in your e-mail",
        "or_type": "or type your name",
        "placeholder": "Type your first or last name…",
        "pick": "Is this you? Tap your name.",
        "too_many": "More than {n} people match: type a little more of your name.",
        "none_found": "We cannot find anyone by that name.",
        "welcome": "Welcome, {name}!",
        "welcome_back": "Welcome back, {name}!",
        "already": "You checked in at {time} already.",
        "session": "Your work session",
        "no_session": "No work session chosen? Ask at the reception desk.",
        "printing": "Your badge is being printed…",
        "printed": "Your badge is ready in the printer.",
        "print_failed": "The printer is not working: your badge waits at the reception desk.",
        "to_reception": "Please go to the reception desk",
        "unknown": "We do not know this code.",
        "cancelled": "Your registration was cancelled.",
        "not_found_help": "Cannot find yourself? The reception desk will help you.",
        "error": "Something went wrong.",
        "reception_help": "They will help you right away.",
        "done": "Done",
        "back": "Back",
        "staff": "Staff",
        "pin_title": "Staff PIN",
        "pin_wrong": "Wrong PIN",
        "pin_locked": "Too many wrong PINs: wait a minute.",
        "leave": "Leave kiosk mode",
        "cancel": "Cancel",
        "other_language": "Nederlands",
        "offline": "No connection to the server. Please go to the reception desk.",
    },
}
