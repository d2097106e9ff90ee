"""Printing from the web: printers, the print queue (API and page), station settings,
the attendee's note, reprints, and the spooler started next to the server.

Reception and the organiser see every printer's queue (`/printing`, permission `print`):
waiting, printing, printed, failed with the printer's words, and retry or cancel. The
organiser adds printers, sets each station's printer and "print on arrival", a kiosk's
PIN, and the note for the door. The spooler (kiosk/spooler) does the sending: in the
server it is a process of its own, started with the first job (`SPOOLER = "process"`,
set by `serve`); tests run it in a thread (`"thread"`) or by hand (`None`).
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

from flask import Blueprint, Flask, current_app, jsonify, render_template, url_for

from kiosk.checkin import auth
from kiosk.checkin.auth import StationError
from kiosk.spooler import queue
from kiosk.spooler.queue import QueueError
from kiosk.spooler.worker import Spooler
from kiosk.store import attendees as attendee_store
from kiosk.store import now, transaction
from kiosk.store.printing import PrintJob
from kiosk.text import clean
from kiosk.web.access import api_error, api_requires, current_station, page_requires
from kiosk.web.context import get_clock, get_db, get_event
from kiosk.web.i18n import current_language
from kiosk.web.jsonapi import BadRequest, blueprint, json_body

bp = blueprint("printing", __name__)
pages = Blueprint("printing_page", __name__)
MAX_NOTE = 200
_SPOOLER_LOCK = threading.Lock()


def _at(stamp: str | None) -> str | None:
    """A real moment as the event clock shows it ('09:24'), like a tablet's last contact:
    the page never uses the device's own clock or time zone."""
    if not stamp:
        return None
    return get_clock().event_time(dt.datetime.fromisoformat(stamp)).strftime("%H:%M")


def job_json(job: PrintJob | None) -> dict | None:
    if job is None:
        return None
    return {"id": job.id, "printer_id": job.printer_id, "attendee_id": job.attendee_id,
            "name": f"{job.first_name} {job.last_name}".strip(), "reason": job.reason,
            "state": job.state, "error": job.error, "attempts": job.attempts,
            "created_at": job.created_at, "finished_at": job.finished_at,
            "queued_at": _at(job.created_at), "printed_at": _at(job.finished_at),
            "printer_job": job.printer_job}


def _printer_json(item: queue.PrinterQueue) -> dict:
    p = item.printer
    return {"id": p.id, "name": p.name, "kind": p.kind, "settings": p.settings,
            "counts": item.counts, "halted": item.halted,
            "jobs": [job_json(j) for j in item.jobs]}


# --- starting the spooler ------------------------------------------------------------------


def kick(app: Flask) -> None:
    """Make sure a spooler will send what was just queued."""
    mode = app.config.get("SPOOLER")
    if mode == "thread":
        _thread_spooler(app).wake.set()
    elif mode == "process":
        _process_spooler(app)


def start_if_waiting(app: Flask) -> None:
    """At start-up: a spooler at once when jobs wait from before (else with the first)."""
    from kiosk.store import connect
    from kiosk.store import printing as printing_store

    with connect(app.config["DATABASE"]) as db:
        if printing_store.printers_with_work(db) or printing_store.printing_now(db):
            kick(app)


def _thread_spooler(app: Flask) -> Spooler:
    with _SPOOLER_LOCK:
        spooler = app.extensions.get("kiosk.spooler")
        if spooler is None:
            spooler = Spooler(app.config["DATABASE"], app.extensions["kiosk.event"])
            threading.Thread(target=spooler.run, kwargs={"poll_s": 0.2}, daemon=True,
                             name="kiosk-spooler").start()
            app.extensions["kiosk.spooler"] = spooler
        return spooler


def stop_spooler(app: Flask) -> None:
    """Stop a spooler this app started (tests; the server's child stops with it)."""
    spooler = app.extensions.pop("kiosk.spooler", None)
    if isinstance(spooler, Spooler):
        spooler.stop()
    elif spooler is not None and spooler.poll() is None:
        spooler.terminate()
        spooler.wait(timeout=10)


def _process_spooler(app: Flask) -> None:
    """`python -m kiosk print-spooler` beside the server, once; it stops with it."""
    with _SPOOLER_LOCK:
        child = app.extensions.get("kiosk.spooler")
        if child is not None and child.poll() is None:
            return
        args = [sys.executable, "-m", "kiosk", "--db", app.config["DATABASE"]]
        if app.config.get("EVENT"):
            args += ["--event", app.config["EVENT"]]
        app.extensions["kiosk.spooler"] = subprocess.Popen(
            [*args, "print-spooler", "--watch-parent"], stdin=subprocess.DEVNULL)


def print_for(station, attendee_id: int, reason: str) -> PrintJob | None:
    """After a check-in or a walk-in at `station`: the badge on its printer, when it has
    one and prints for this reason (walk-ins and kiosk check-ins always; arrivals when
    "print on arrival" is on)."""
    settings = auth.settings(get_db(), station.id)
    if settings.printer_id is None:
        return None
    if reason == "arrival" and not settings.print_on_arrival:
        return None
    try:
        job = queue.enqueue(get_db(), settings.printer_id, attendee_id, reason, station.id)
    except QueueError:
        return None  # the printer was removed: the check-in itself stands
    kick(current_app)
    return job


# --- the queue ----------------------------------------------------------------------------


@bp.get("/printers")
@api_requires("print")
def list_printers():
    return jsonify({"printers": [_printer_json(p) for p in queue.overview(get_db())]})


@bp.post("/printers")
@api_requires("manage")
def add_printer():
    """{"name", "kind": "cups"|"brother_ql"|"zpl", "settings": {...}}."""
    data = json_body()
    settings = data.get("settings") or {}
    if not isinstance(settings, dict):
        raise BadRequest("invalid", "settings moet een object zijn")
    try:
        added = queue.add_printer(get_db(), str(data.get("name") or ""),
                                  str(data.get("kind") or ""), settings)
    except QueueError as exc:
        raise BadRequest("invalid", str(exc)) from None
    return jsonify({"id": added.id, "name": added.name, "kind": added.kind,
                    "settings": added.settings}), 201


def _int(data: dict, key: str, required: bool = True) -> int | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest("invalid", f"{key} moet een getal zijn")
    return value


@bp.post("/print-jobs")
@api_requires("print")
def add_job():
    """{"attendee_id", "printer_id"?}: print a badge (the station's printer by default)."""
    data, station = json_body(), current_station()
    attendee_id = _int(data, "attendee_id")
    printer_id = _int(data, "printer_id", required=False) or \
        auth.settings(get_db(), station.id).printer_id
    if printer_id is None:
        raise BadRequest("no_printer", "Deze post heeft geen printer: kies er een.")
    try:
        job = queue.enqueue(get_db(), printer_id, attendee_id, "request", station.id)
    except QueueError as exc:
        raise BadRequest("invalid", str(exc)) from None
    kick(current_app)
    return jsonify(job_json(job)), 201


@bp.get("/print-jobs/<int:job_id>")
@api_requires("print")
def get_job(job_id: int):
    job = queue.job(get_db(), job_id)
    if job is None:
        return api_error(404, "not_found", "Geen afdruk met dit nummer.")
    return jsonify(job_json(job))


@bp.post("/print-jobs/<int:job_id>/<action>")
@api_requires("print")
def change_job(job_id: int, action: str):
    """retry (a failed job, in its old place) or cancel (a waiting or failed one)."""
    if action not in ("retry", "cancel"):
        return api_error(404, "not_found", "Kies retry of cancel.")
    if queue.job(get_db(), job_id) is None:
        return api_error(404, "not_found", "Geen afdruk met dit nummer.")
    try:
        job = (queue.retry if action == "retry" else queue.cancel)(get_db(), job_id)
    except QueueError as exc:
        return api_error(409, "conflict", str(exc))
    kick(current_app)
    return jsonify(job_json(job))


@bp.post("/attendees/<int:attendee_id>/reprint")
@api_requires("print")
def reprint(attendee_id: int):
    """A lost badge: a new code (the old one no longer works) and a print of the new one
    on the given printer or the station's."""
    data, station = json_body(), current_station()
    printer_id = _int(data, "printer_id", required=False) or \
        auth.settings(get_db(), station.id).printer_id
    try:
        code, job = queue.reprint(get_db(), attendee_id, printer_id, station.id)
    except QueueError as exc:
        return api_error(404 if "deelnemer" in str(exc) else 400, "invalid", str(exc))
    if job is not None:
        kick(current_app)
    return jsonify({"code": code, "print_job": job_json(job),
                    "badge": url_for("api.attendee_badge", attendee_id=attendee_id,
                                     fmt="pdf")})


# --- the organiser: station settings and notes ----------------------------------------------


@bp.put("/stations/<int:station_id>/settings")
@api_requires("manage")
def station_settings(station_id: int):
    """{"printer_id"?: id or null, "print_on_arrival"?: bool, "pin"?: "4821"}."""
    data = json_body()
    printer_id = data["printer_id"] if "printer_id" in data else False
    if printer_id is not False and printer_id is not None:
        printer_id = _int(data, "printer_id")
    arrival = data.get("print_on_arrival")
    if arrival is not None and not isinstance(arrival, bool):
        raise BadRequest("invalid", "print_on_arrival is true of false")
    pin = data.get("pin")
    if pin is not None and not isinstance(pin, str):
        raise BadRequest("invalid", "pin is tekst: 4 tot 8 cijfers")
    try:
        value = auth.configure(get_db(), station_id, printer_id=printer_id,
                               print_on_arrival=arrival, pin=pin)
    except StationError as exc:
        status = 404 if "geen post" in str(exc) else 400
        return api_error(status, "invalid", str(exc))
    return jsonify({"station_id": station_id, "printer_id": value.printer_id,
                    "print_on_arrival": value.print_on_arrival,
                    "pin_set": value.pin_hash is not None})


@bp.put("/attendees/<int:attendee_id>/note")
@api_requires("manage")
def set_note(attendee_id: int):
    """{"note": "spreker — naar de sprekerstafel"} (empty: no note). Shown at reception."""
    note = json_body().get("note", "")
    if not isinstance(note, str):
        raise BadRequest("invalid", "note moet tekst zijn")
    note = clean(note)
    if any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in note):
        raise BadRequest("invalid", "de notitie bevat stuurtekens: typ ze opnieuw als gewone "
                                    "tekst")
    if len(note) > MAX_NOTE:
        raise BadRequest("invalid", f"de notitie is te lang (hoogstens {MAX_NOTE} tekens)")
    db = get_db()
    with transaction(db):
        if not attendee_store.set_note(db, attendee_id, note, now()):
            return api_error(404, "not_found", "Onbekende deelnemer.")
    return jsonify({"id": attendee_id, "note": note})


# --- the page -----------------------------------------------------------------------------


@pages.get("/printing")
@page_requires("print")
def page():
    config = {"urls": {"printers": url_for("printing.list_printers"),
                       "job": url_for("printing.change_job", job_id=0, action="ACTION")
                       .replace("/0/", "/JOB_ID/")},
              "printers": [_printer_json(p) for p in queue.overview(get_db())]}
    return render_template("printing.html", event=get_event(), station=current_station(),
                           lang=current_language(), config=config)
