"""Exporting attendees and their attendance as CSV or XLSX (chosen by the file extension).

The columns are the ones PRODUCT.md promises, plus each registration choice under a header
the importer recognises, so an export can be imported again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.store import attendees as attendee_store
from kiosk.store import movements
from kiosk.text import strip_controls

FIXED = ["email", "first_name", "last_name", "organisation", "function"]
TRAILING = ["diet", "comments", "status", "badge_code", "checked_in_at"]


class ExportError(ValueError):
    """The export cannot be written (unknown extension)."""


def columns(event: Event) -> list[str]:
    return (FIXED + [f"session_{b.id}" for b in event.blocks]
            + [c.id for c in event.catering] + TRAILING)


def rows(db: Database, event: Event) -> list[list[str]]:
    """One row per attendee (cancelled and walk-ins included), sorted by name."""
    checked_in = movements.first_checkins(db)
    people = sorted(attendee_store.all_attendees(db),
                    key=lambda a: (a.last_name.casefold(), a.first_name.casefold(), a.email))
    return [_row(a, event, checked_in.get(a.id)) for a in people]


def _row(a: attendee_store.Attendee, event: Event, checked_in_at: str | None) -> list[str]:
    sessions = [event.theme(a.sessions[b.id]).name if b.id in a.sessions else ""
                for b in event.blocks]
    meals = [("ja" if a.meals[c.id] else "nee") if c.id in a.meals else "" for c in event.catering]
    return ([a.email, a.first_name, a.last_name, a.organisation, a.function] + sessions + meals
            + [a.diet, a.comments, a.status, a.badge_code, _local(checked_in_at, event)])


def _local(stamp: str | None, event: Event) -> str:
    if not stamp:
        return ""
    moment = dt.datetime.fromisoformat(stamp).astimezone(event.tz)
    return moment.isoformat(timespec="seconds")


def export(db: Database, event: Event, path: str | Path) -> int:
    """Write the export file; returns the number of attendees written."""
    path = Path(path)
    suffix = path.suffix.lower()
    header, body = columns(event), rows(db, event)
    if suffix == ".csv":
        path.write_bytes(to_csv(header, body))
    elif suffix == ".xlsx":
        path.write_bytes(to_xlsx(header, body, event.name))
    else:
        raise ExportError(f"{path.name}: kies een bestandsnaam op .csv of .xlsx")
    return len(body)


def to_csv(header: list[str], body: list[list[str]]) -> bytes:
    """UTF-8 with a BOM, so Excel shows accents right when the file is double-clicked."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(_safe(row) for row in body)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _safe(row: list[str]) -> list[str]:
    """A cell starting with = + - @ would run as a formula in Excel (CSV injection): quote it.
    The importer removes exactly one such quote, so a quoted cell is quoted once more.
    Control characters and lone surrogates that reached the database before the door was
    closed on them (issue 11, D6) are left out: openpyxl refuses them, UTF-8 cannot hold a
    surrogate, and a NUL made the CSV unreadable."""
    row = [strip_controls(v) for v in row]
    return ["'" + v if v.lstrip("'")[:1] in ("=", "+", "-", "@") else v for v in row]


def to_xlsx(header: list[str], body: list[list[str]], title: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "Aanwezigheden")
    sheet.append(header)
    for row in body:
        sheet.append(_safe(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
