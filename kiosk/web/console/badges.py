"""Badges from the browser: all, only new or changed, one bestuur or one person, in each
layout; and the paper check-in list. Each is a job (kiosk.jobs.printing): the PDF is made
off the request, the page shows its progress and then the download."""

from __future__ import annotations

from collections import Counter

from flask import flash, redirect, render_template, request, url_for

from kiosk.jobs.board import JobError
from kiosk.jobs.printing import LAYOUTS, Selection, bestuur_of, paper_list, print_run
from kiosk.printing.sheets import SORTS
from kiosk.store import attendees as attendee_store
from kiosk.web.access import page_requires
from kiosk.web.console import jobs
from kiosk.web.console.common import blueprint, page_context
from kiosk.web.context import get_db, get_event

bp = blueprint("badges", __name__)


@bp.get("/badges")
@page_requires("manage")
def index():
    db = get_db()
    everyone = attendee_store.printable(db)
    changed = attendee_store.printable(db, only_changed=True)
    per_bestuur = sorted(Counter(bestuur_of(p) for p in everyone).items())
    return render_template("console/badges.html", total=len(everyone),
                           changed=len(changed), per_bestuur=per_bestuur, layouts=LAYOUTS,
                           sorts=SORTS, jobs=jobs.board_jobs("badges", "checklist"),
                           **page_context())


def _selection(form) -> Selection:
    person = form.get("person", "")
    return Selection(who=form.get("who", "all"), bestuur=form.get("bestuur") or None,
                     person=int(person) if person.isdigit() else None,
                     layout=form.get("layout", "a4"), sort=form.get("sort", "name"))


@bp.post("/badges/print")
@page_requires("manage")
def start():
    """Start a badge run; to the page it was asked from, where it shows its progress."""
    selection = _selection(request.form)
    back = request.form.get("back") or url_for("badges.index")
    if not back.startswith("/organiser/"):  # only ever back to a page of ours
        back = url_for("badges.index")
    try:
        selection.check()
    except JobError as exc:
        flash(str(exc), "error")
        return redirect(back)
    event = get_event()
    title = _title(selection)
    job = jobs.submit("badges", title,
                      lambda db, _event, _clock, job: print_run(db, event, selection, job))
    flash(page_context()["w"]["started"].format(title=title))
    return redirect(f"{back}{'&' if '?' in back else '?'}job={job.id}")


def _title(selection: Selection) -> str:
    what = {"all": "alle badges", "changed": "nieuw of gewijzigd",
            "bestuur": selection.bestuur or "", "person": f"deelnemer {selection.person}"}
    return f"{what[selection.who]} · {selection.layout.upper()} · " \
           f"{'per bestuur' if selection.sort == 'bestuur' else 'op naam'}"


@bp.post("/badges/checklist")
@page_requires("manage")
def checklist():
    job = jobs.submit("checklist", "aanwezigheidslijst",
                      lambda db, event, clock, job: paper_list(db, event, clock, job))
    return redirect(url_for("badges.index", job=job.id))
