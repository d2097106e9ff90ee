"""Importing a registration list: plan the upsert, then apply it in one transaction.

Re-import is keyed on e-mail: new people are added, changes applied, and people missing
from a newer full list are cancelled (never deleted). Check-ins, badge codes and walk-ins
survive every re-import. A dry run computes the same plan and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.registrations import codes
from kiosk.registrations.reading import Registration, read_registrations
from kiosk.store import attendees as attendee_store
from kiosk.store import imports as import_log
from kiosk.store import now, transaction
from kiosk.store.attendees import Attendee
from kiosk.store.imports import RowIssue

Progress = Callable[[int, int], None]


@dataclass
class ImportPlan:
    rows_read: int = 0
    added: list[Attendee] = field(default_factory=list)
    updated: list[Attendee] = field(default_factory=list)
    unchanged: list[Attendee] = field(default_factory=list)
    restored: list[Attendee] = field(default_factory=list)  # cancelled before, listed again
    cancelled: list[Attendee] = field(default_factory=list)
    rejected: list[RowIssue] = field(default_factory=list)
    warnings: list[RowIssue] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"rows": self.rows_read, "added": len(self.added), "updated": len(self.updated),
                "unchanged": len(self.unchanged), "restored": len(self.restored),
                "cancelled": len(self.cancelled), "rejected": len(self.rejected),
                "warnings": len(self.warnings)}

    @property
    def issues(self) -> list[RowIssue]:
        return sorted(self.rejected + self.warnings, key=lambda i: (i.row_number, i.severity))


def import_registrations(db: Database, event: Event, data: bytes, filename: str, *,
                         dry_run: bool = False, partial: bool = False,
                         mapping: dict[str, str] | None = None,
                         progress: Progress | None = None) -> ImportPlan:
    """Read a registration file and upsert it; the plan says what happened (or would)."""
    registrations, rejected, rows_read = read_registrations(data, filename, event, mapping)
    existing = attendee_store.by_email(db)
    plan = plan_import(existing, registrations, partial=partial, progress=progress)
    plan.rejected, plan.rows_read = rejected, rows_read
    if not dry_run:
        apply_plan(db, plan, filename, partial)
    return plan


def plan_import(existing: dict[str, Attendee], registrations: list[Registration], *,
                partial: bool = False, progress: Progress | None = None) -> ImportPlan:
    """Compare the incoming list with the database: what to add, change and cancel."""
    plan = ImportPlan()
    taken = {a.badge_code for a in existing.values()}
    latest = _last_per_email(registrations, plan)
    for done, reg in enumerate(latest.values(), start=1):
        plan.warnings.extend(reg.warnings)
        old = existing.get(reg.attendee.email)
        if old is not None and reg.note is None:  # no note column: the note stays
            reg.attendee.note = old.note
        if old is None:
            plan.added.append(_new_attendee(reg.attendee, taken))
        else:
            _plan_existing(plan, old, reg.attendee)
        if progress and (done % 500 == 0 or done == len(latest)):
            progress(done, len(latest))
    if not partial:
        plan.cancelled = [a for email, a in existing.items()
                          if email not in latest and a.status == "registered"]
    return plan


def _last_per_email(registrations: list[Registration], plan: ImportPlan) -> dict[
        str, Registration]:
    """A person who filled in the form twice: the later row wins, with a warning."""
    latest: dict[str, Registration] = {}
    for reg in registrations:
        earlier = latest.get(reg.attendee.email)
        if earlier:
            plan.warnings.append(RowIssue(
                reg.row_number, "warning",
                f"dubbele inschrijving: vervangt rij {earlier.row_number}", "email",
                reg.attendee.email, reg.values))
        latest[reg.attendee.email] = reg
    return latest


def new_badge_code(taken: set[str]) -> str:
    """A fresh code that no one has (80 random bits: a clash practically never happens,
    but it must never happen twice either)."""
    code = codes.new_code()
    while code in taken:
        code = codes.new_code()
    taken.add(code)
    return code


def _new_attendee(attendee: Attendee, taken: set[str]) -> Attendee:
    attendee.badge_code = new_badge_code(taken)
    attendee.created_at = attendee.updated_at = now()
    return attendee


def _plan_existing(plan: ImportPlan, old: Attendee, new: Attendee) -> None:
    changed = old.content() != new.content()
    if old.status == "cancelled":
        target = plan.restored
    elif changed:
        target = plan.updated
    else:
        plan.unchanged.append(old)
        return
    badge_stale = old.badge_content() != new.badge_content()
    for name, value in new.content().items():
        setattr(old, name, value)
    old.source_row = new.source_row
    if badge_stale:
        old.badge_version += 1
    if old.status == "cancelled":
        old.status, old.cancelled_at = "registered", None
    old.updated_at = now()
    target.append(old)


def apply_plan(db: Database, plan: ImportPlan, filename: str, partial: bool) -> int:
    """Write the plan and its import log in one transaction; returns the import id."""
    stamp = now()
    for attendee in plan.cancelled:
        attendee.status, attendee.cancelled_at, attendee.updated_at = "cancelled", stamp, stamp
    with transaction(db):
        attendee_store.insert_many(db, plan.added)
        attendee_store.update_many(db, plan.updated + plan.restored + plan.cancelled)
        return import_log.record(db, filename, stamp, partial, plan.counts(), plan.issues)
