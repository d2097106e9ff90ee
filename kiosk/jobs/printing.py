"""Badge runs and the paper list as jobs: the same printing as `badges` and `checklist`."""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.jobs.board import Job, JobError
from kiosk.printing.checklist import checklist_pdf
from kiosk.printing.face import face_of
from kiosk.printing.sheets import SORTS, print_badges
from kiosk.printing.template import TemplateError, load_template
from kiosk.store import attendees as attendee_store
from kiosk.store import transaction
from kiosk.store.attendees import Attendee

WHO = ("all", "changed", "bestuur", "person")
LAYOUTS = ("a4", "cr80", "a6")


@dataclass(frozen=True)
class Selection:
    """Which badges, in which layout and order."""

    who: str = "all"  # one of WHO
    bestuur: str | None = None  # for who="bestuur": the bestuur's name as the badges show it
    person: int | None = None  # for who="person": an attendee id
    layout: str = "a4"
    sort: str = "name"

    def check(self) -> Selection:
        """The selection, or a JobError in words when it is not one we can print."""
        if self.who not in WHO:
            raise JobError(f"onbekende keuze {self.who!r}")
        if self.layout not in LAYOUTS:
            raise JobError(f"onbekende lay-out {self.layout!r}; kies a4, cr80 of a6")
        if self.sort not in SORTS:
            raise JobError(f"onbekende volgorde {self.sort!r}")
        if self.who == "bestuur" and not self.bestuur:
            raise JobError("kies een bestuur")
        if self.who == "person" and not self.person:
            raise JobError("kies een deelnemer")
        return self


def bestuur_of(person: Attendee) -> str:
    """The group a badge run per bestuur uses (as the badge and the per-bestuur sort)."""
    return person.bestuur or person.organisation or "—"


def select(db: Database, selection: Selection) -> list[Attendee]:
    """The people whose badges this selection prints (never a cancelled registration)."""
    people = attendee_store.printable(db, only_changed=selection.who == "changed")
    if selection.who == "bestuur":
        return [p for p in people if bestuur_of(p) == selection.bestuur]
    if selection.who == "person":
        return [p for p in people if p.id == selection.person]
    return people


def label_of(selection: Selection) -> str:
    """The PDF name's label: 'changed', the bestuur, or the person's id."""
    if selection.who == "changed":
        return "changed"
    if selection.who == "bestuur":
        slug = "".join(ch if ch.isalnum() else "-" for ch in selection.bestuur.lower())
        return slug.strip("-")[:40] or "bestuur"
    if selection.who == "person":
        return f"deelnemer-{selection.person}"
    return ""


def print_run(db: Database, event: Event, selection: Selection, job: Job) -> None:
    """Render the badges into the job's folder and remember which versions were printed,
    as `python -m kiosk badges` does. The PDF(s) are the job's files."""
    people = select(db, selection.check())
    if not people:
        raise JobError("Geen badges te printen" + (": niets nieuw of gewijzigd sinds de "
                                                   "vorige keer." if selection.who == "changed"
                                                   else "."))
    job.progress(0, len(people), f"{len(people)} badges tekenen…")
    try:
        run = print_badges([face_of(p) for p in people], event, job.folder,
                           layout=selection.layout, sort=selection.sort,
                           template=load_template(), label=label_of(selection),
                           progress=lambda done, total: job.progress(done, total))
    except TemplateError as exc:
        raise JobError(str(exc)) from None
    with transaction(db):
        attendee_store.mark_printed(db, run.printed)
    shutil.rmtree(job.folder / "png", ignore_errors=True)  # the console hands out the PDFs
    job.files = [pdf.name for pdf in run.pdfs]
    pages = "pagina" if run.pages == 1 else "pagina's"
    job.note = f"{len(run.printed)} badges, {run.pages} {pages}"
    job.outcome = {"printed": len(run.printed), "pages": run.pages}


def paper_list(db: Database, event: Event, clock: EventClock, job: Job) -> None:
    """The alphabetical paper check-in list (the fallback), as `checklist` prints it."""
    people = attendee_store.printable(db)
    job.progress(0, 1, f"{len(people)} deelnemers op de lijst…")
    try:
        data = checklist_pdf([face_of(p) for p in people], event, clock.now())
    except TemplateError as exc:
        raise JobError(str(exc)) from None
    (job.folder / "aanwezigheidslijst.pdf").write_bytes(data)
    job.files = ["aanwezigheidslijst.pdf"]
    job.progress(1, 1, f"{len(people)} deelnemers op de aanwezigheidslijst")
