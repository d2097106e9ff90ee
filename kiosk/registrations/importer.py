"""Importing a registration list: plan the upsert, then apply it in one transaction.

Re-import is keyed on e-mail: new people are added, changes applied, and people missing
from a newer full list are cancelled (never deleted). Check-ins, badge codes and walk-ins
survive every re-import. A dry run computes the same plan and writes nothing.

Guards (issue 11): a person whose row was rejected is left as they were (not cancelled as
"missing"); a full import that would cancel more than MASS_CANCEL_SHARE of the
registrations, or that has no usable row at all, is refused (MassCancelError) unless the
caller allows it. The write is cut in batches of BATCH_ROWS, each its own short
transaction, so a large import from the command line never holds SQLite's write lock long
enough to stall the server's scans; cancellations and the import log come last, so an
import stopped half-way has cancelled nobody, and running it again finishes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.registrations import codes
from kiosk.registrations.reading import ImportFileError, Registration, read_registrations
from kiosk.store import attendees as attendee_store
from kiosk.store import imports as import_log
from kiosk.store import now, transaction
from kiosk.store.attendees import Attendee
from kiosk.store.imports import RowIssue

Progress = Callable[[int, int], None]
MASS_CANCEL_SHARE = 0.20  # a full import may cancel at most this share without being asked
BATCH_ROWS = 500  # attendees written per transaction (~5-10 ms of write lock, idle)


class MassCancelError(ImportFileError):
    """A full import would cancel too many registrations; nothing was written."""

    def __init__(self, plan: ImportPlan):
        super().__init__(plan.mass_cancel or "")
        self.plan = plan


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
    # Why this import is refused without allow_mass_cancel (None: it is not).
    mass_cancel: str | None = None

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
                         progress: Progress | None = None,
                         allow_mass_cancel: bool = False) -> ImportPlan:
    """Read a registration file and upsert it; the plan says what happened (or would).

    A dry run returns the plan with `mass_cancel` set when the real import would be
    refused; the real import then raises MassCancelError, unless `allow_mass_cancel`."""
    registrations, rejected, rows_read = read_registrations(data, filename, event, mapping)
    existing = attendee_store.by_email(db)
    plan = plan_import(existing, registrations, partial=partial, progress=progress,
                       rejected=rejected)
    plan.rows_read = rows_read
    if not dry_run:
        if plan.mass_cancel and not allow_mass_cancel:
            raise MassCancelError(plan)
        apply_plan(db, plan, filename, partial)
    return plan


def plan_import(existing: dict[str, Attendee], registrations: list[Registration], *,
                partial: bool = False, progress: Progress | None = None,
                rejected: list[RowIssue] | None = None) -> ImportPlan:
    """Compare the incoming list with the database: what to add, change and cancel."""
    plan = ImportPlan(rejected=list(rejected or []))
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
        # A rejected row still names its person: they stay as they were (D4).
        named = set(latest) | {issue.email for issue in plan.rejected if issue.email}
        plan.cancelled = [a for email, a in existing.items()
                          if email not in named and a.status == "registered"]
        plan.mass_cancel = _mass_cancel(plan, existing, usable=len(latest))
    return plan


def _mass_cancel(plan: ImportPlan, existing: dict[str, Attendee], usable: int) -> str | None:
    """Why cancelling this many is probably a mistake (a header-only file, an export of
    the wrong form), or None."""
    cancelling = len(plan.cancelled)
    registered = sum(1 for a in existing.values() if a.status == "registered")
    if not cancelling:
        return None
    if not usable:
        return (f"het bestand heeft geen enkele bruikbare rij: deze volledige import zou alle "
                f"{cancelling} inschrijvingen annuleren")
    if cancelling > MASS_CANCEL_SHARE * registered:
        share = round(100 * cancelling / registered)
        return (f"deze volledige import zou {cancelling} van de {registered} inschrijvingen "
                f"annuleren ({share}%, meer dan {MASS_CANCEL_SHARE:.0%}); is dit de "
                "volledige, recentste lijst?")
    return None


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
    """Write the plan, batch by batch, and its import log; returns the import id.

    A list of up to BATCH_ROWS people (any real event's) is one transaction. A longer one
    is written in batches of BATCH_ROWS, each its own transaction: between two batches the
    server's scans get the write lock (a scan waits one batch, milliseconds, not the whole
    import). The cancellations come last, and the import log with the last batch."""
    stamp = now()
    for attendee in plan.cancelled:
        attendee.status, attendee.cancelled_at, attendee.updated_at = "cancelled", stamp, stamp
    # Updates (and the cancellations) after the additions: in a list of BATCH_ROWS or fewer
    # it is all one transaction; in a longer one the cancellations come last.
    writes = [(True, a) for a in plan.added] + \
        [(False, a) for a in plan.updated + plan.restored + plan.cancelled]
    batches = [writes[i:i + BATCH_ROWS] for i in range(0, len(writes), BATCH_ROWS)] or [[]]
    *leading, last = batches
    for batch in leading:
        added, changed = _rows(batch)  # made before the lock is taken
        with transaction(db):
            attendee_store.insert_rows(db, added)
            attendee_store.update_rows(db, changed)
    added, changed = _rows(last)
    with transaction(db):
        attendee_store.insert_rows(db, added)
        attendee_store.update_rows(db, changed)
        return import_log.record(db, filename, stamp, partial, plan.counts(), plan.issues)


def _rows(batch: list[tuple[bool, Attendee]]) -> tuple[list[dict], list[dict]]:
    return (attendee_store.to_rows(a for new, a in batch if new),
            attendee_store.to_rows(a for new, a in batch if not new))
