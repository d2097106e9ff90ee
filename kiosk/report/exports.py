"""The report's data files: attendance.csv and .xlsx, movements.csv.

Before the purge they hold people: the attendance export of `python -m kiosk export` (one
row per registration) and the movement log with names. After it, only what the purge kept:
attendance per bestuur, and the movements per five minutes and place.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.registrations import export
from kiosk.store import history

AGGREGATE_ATTENDANCE = ["bestuur", "registered", "walk_ins", "arrived", "no_shows"]
MOVEMENT_COLUMNS = ["id", "recorded_at", "location", "location_name", "direction", "kind",
                    "undone", "undoes", "station", "attendee_id", "first_name", "last_name",
                    "bestuur", "client_time", "rehearsal"]
AGGREGATE_MOVEMENTS = ["from", "location", "location_name", "in", "out"]


def attendance(db: Database, event: Event, figures: dict) -> tuple[list[str], list[list]]:
    """(header, rows) of attendance.csv/.xlsx."""
    if figures.get("purged"):
        return AGGREGATE_ATTENDANCE, [[b["name"], b["registered"], b["walk_ins"], b["arrived"],
                                       b["no_shows"]] for b in figures["besturen"]]
    return export.columns(event), export.rows(db, event)


def movements(db: Database, event: Event, figures: dict) -> tuple[list[str], list[list]]:
    """(header, rows) of movements.csv."""
    names = {loc.id: loc.name for loc in event.locations}
    if figures.get("purged"):
        return AGGREGATE_MOVEMENTS, [[m["at"], m["location"], names.get(m["location"], ""),
                                      m["in"], m["out"]] for m in figures["movements"]]
    rows = [[line.id, _local(line.recorded_at, event), line.location,
             names.get(line.location, ""), line.direction, line.kind, int(line.undone),
             line.undoes or "", line.station, line.attendee_id, line.first_name,
             line.last_name, line.bestuur, line.client_time or "", int(line.rehearsal)]
            for line in history.movement_log(db)]
    return MOVEMENT_COLUMNS, rows


def _local(stamp: str, event: Event) -> str:
    return dt.datetime.fromisoformat(stamp).astimezone(event.tz).isoformat(timespec="seconds")


def write(db: Database, event: Event, figures: dict, out: Path) -> list[Path]:
    """Write the three files into `out`; their paths."""
    header, rows = attendance(db, event, figures)
    text_rows = [[str(v) for v in row] for row in rows]
    (out / "attendance.csv").write_bytes(export.to_csv(header, text_rows))
    (out / "attendance.xlsx").write_bytes(export.to_xlsx(header, text_rows, event.name))
    header, rows = movements(db, event, figures)
    (out / "movements.csv").write_bytes(export.to_csv(header, [[str(v) for v in row]
                                                               for row in rows]))
    return [out / "attendance.csv", out / "attendance.xlsx", out / "movements.csv"]
