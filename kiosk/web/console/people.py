"""The attendees: a searchable, sortable list, and one person's page (edit, cancel or
restore, check in or out by hand, their movements, their badge).

The organiser may see e-mail addresses (nobody else does). Checking in or out by hand is
a scan through the scan service, at the reception desk (or the exit), by the organiser's
own station: it is in the log like any other, and the screens follow.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, request, url_for

from kiosk.checkin import scans
from kiosk.event import Event
from kiosk.registrations import edits
from kiosk.serving import green
from kiosk.store import attendees as attendee_store
from kiosk.store import history, movements
from kiosk.store.attendees import Attendee
from kiosk.text import fold
from kiosk.web import live, present
from kiosk.web.access import current_station, page_requires
from kiosk.web.console import jobs
from kiosk.web.console.common import blueprint, page_context
from kiosk.web.context import get_clock, get_db, get_event

bp = blueprint("people", __name__)

SORTS = ("name", "email", "bestuur", "status", "arrived", "badge")
SHOWS = ("all", "registered", "walk_in", "cancelled", "arrived", "missing", "to_print")
MAX_QUERY = 100


@dataclass(frozen=True)
class Row:
    person: Attendee
    arrived: str | None  # local HH:MM of the first check-in
    on_site: bool
    stale: bool  # the printed badge is missing or out of date

    @property
    def folded(self) -> str:
        p = self.person
        return fold(" ".join((p.first_name, p.last_name, p.email, p.organisation,
                              p.function, p.badge_code)))


def roster(db, event: Event) -> list[Row]:
    """Everyone (cancelled too) with their arrival and badge state."""
    first = movements.first_checkins(db)
    places = movements.current_places(db)
    return [Row(p, present.local_time(first.get(p.id), event),
                p.id in places and places[p.id].direction == "in",
                p.status != "cancelled" and p.printed_version < p.badge_version)
            for p in attendee_store.all_attendees(db)]


def _shown(row: Row, show: str) -> bool:
    status = row.person.status
    return {"all": True, "registered": status == "registered", "walk_in": status == "walk-in",
            "cancelled": status == "cancelled", "arrived": row.arrived is not None,
            "missing": row.arrived is None and status != "cancelled",
            "to_print": row.stale}[show]


def _key(sort: str):
    def by(row: Row):
        p = row.person
        name = (fold(p.last_name), fold(p.first_name))
        return {"name": name, "email": (p.email,), "bestuur": (fold(p.organisation), *name),
                "status": (p.status, *name), "arrived": (row.arrived or "99:99", *name),
                "badge": (not row.stale, *name)}[sort]
    return by


def listing(db, event: Event, query: str, sort: str, descending: bool,
            show: str) -> tuple[list[Row], list[Row]]:
    """(everyone, those shown): filtered by the words typed (all must match, accents and
    case aside) and by `show`, sorted by `sort`."""
    everyone = roster(db, event)
    words = fold(query).split()
    rows = [r for r in everyone if _shown(r, show) and all(w in r.folded for w in words)]
    return everyone, sorted(rows, key=_key(sort), reverse=descending)


@bp.get("/registrations")
@page_requires("manage")
def index():
    args = request.args
    query = args.get("q", "")[:MAX_QUERY]
    sort = args.get("sort") if args.get("sort") in SORTS else "name"
    show = args.get("show") if args.get("show") in SHOWS else "all"
    descending = args.get("desc") == "1"
    event = get_event()
    everyone, rows = green.offload(listing, get_db(), event, query, sort, descending, show)
    counts = {"registered": sum(r.person.status == "registered" for r in everyone),
              "walk_ins": sum(r.person.status == "walk-in" for r in everyone),
              "cancelled": sum(r.person.status == "cancelled" for r in everyone),
              "arrived": sum(r.arrived is not None for r in everyone)}
    return render_template("console/people.html", rows=rows, total=len(everyone),
                           counts=counts, query=query, sort=sort, show=show,
                           descending=descending, sorts=SORTS, shows=SHOWS, **page_context())


def _person_or_404(attendee_id: int) -> Attendee:
    person = attendee_store.get(get_db(), attendee_id)
    if person is None:
        abort(404)
    return person


@bp.get("/registrations/<int:attendee_id>")
@page_requires("manage")
def person(attendee_id: int, form: dict | None = None, error: edits.EditError | None = None):
    """One person's page; `save` renders it again with the form and its error."""
    db, event = get_db(), get_event()
    someone = _person_or_404(attendee_id)
    place = movements.last_live(db, attendee_id)
    lines = history.movements_of(db, attendee_id)
    return render_template(
        "console/person.html", person=someone,
        arrived=present.local_time(movements.first_checkin(db, attendee_id), event),
        place=place, place_name=event.location(place.location).name
        if place and event.has_location(place.location) else None,
        lines=lines, local=lambda stamp: present.local_time(stamp, event),
        form=form, error=error, current_job=jobs.board(current_app).get(
            request.args.get("job", "")), **page_context()), 400 if error else 200


@bp.post("/registrations/<int:attendee_id>")
@page_requires("manage")
def save(attendee_id: int):
    _person_or_404(attendee_id)
    w = page_context()["w"]
    try:
        done = edits.edit(get_db(), get_event(), attendee_id, request.form.to_dict())
    except edits.EditError as exc:
        return person(attendee_id, form=request.form, error=exc)
    if done.changed:
        live.changed(current_app)  # names on the room screens, diets in the kitchen
    flash(w["saved_stale"] if done.badge_stale else w["saved"] if done.changed
          else w["nothing_changed"])
    return redirect(url_for("people.person", attendee_id=attendee_id))


@bp.post("/registrations/<int:attendee_id>/cancel")
@page_requires("manage")
def cancel(attendee_id: int):
    _person_or_404(attendee_id)
    edits.cancel(get_db(), attendee_id)
    live.changed(current_app)
    flash(page_context()["w"]["cancelled_done"])
    return redirect(url_for("people.person", attendee_id=attendee_id))


@bp.post("/registrations/<int:attendee_id>/restore")
@page_requires("manage")
def restore(attendee_id: int):
    _person_or_404(attendee_id)
    edits.restore(get_db(), attendee_id)
    live.changed(current_app)
    flash(page_context()["w"]["restored_done"])
    return redirect(url_for("people.person", attendee_id=attendee_id))


@bp.post("/registrations/<int:attendee_id>/check-<direction>")
@page_requires("manage")
def check(attendee_id: int, direction: str):
    """Check in at the reception desk, or out (at the exit where there is one)."""
    if direction not in ("in", "out"):
        abort(404)
    someone, event = _person_or_404(attendee_id), get_event()
    location = _desk(event) if direction == "in" else _exit(event)
    result = scans.scan(get_db(), event, scans.Scan(
        someone.badge_code, location, f"console-{uuid.uuid4()}", direction,
        station_id=current_station().id), get_clock())
    if result.changed:
        live.changed(current_app)
    w = page_context()["w"]
    flash({"checked_in": w["checked_in"], "checked_out": w["checked_out"],
           "cancelled": w["cannot_cancelled"]}.get(result.result, w["already"]))
    return redirect(url_for("people.person", attendee_id=attendee_id))


def _desk(event: Event) -> str:
    desks = event.locations_of_kind("reception")
    return (desks or event.locations)[0].id


def _exit(event: Event) -> str:
    exits = event.locations_of_kind("exit")
    return exits[0].id if exits else _desk(event)
