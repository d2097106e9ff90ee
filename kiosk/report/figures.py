"""Every number the report shows, as plain JSON-able data, from the live screens' services.

`compute` reads the day through `kiosk.headcounts` (the snapshot's own functions, on the
day as it is or as it stood at a past moment, and `headcounts.history` for what no screen
shows), so the report and the screens never disagree. `purge` stores the result
(`kiosk.store.aggregates`) before it deletes the personal data, and `load` then hands back
those stored figures: the report works after the purge, with the same numbers.

Nothing in here names a person: counts per bestuur, theme, block, five minutes, meal,
diet and station.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.headcounts import history, snapshots
from kiosk.store import aggregates
from kiosk.store import attendees as attendee_store

VERSION = 1
FORECAST_AT = dt.time(10, 0)  # when the caterer's numbers are settled: what did we say then?


def load(db: Database, event: Event, clock: EventClock) -> dict:
    """The figures: kept by a purge when there was one, otherwise computed now."""
    kept = aggregates.load(db)
    if kept is not None and aggregates.purges(db):
        return dict(kept, purged=aggregates.purges(db)[0]["purged_at"])
    return compute(db, event, clock)


def compute(db: Database, event: Event, clock: EventClock) -> dict:
    """The whole report's numbers, at the clock's time (after the day: the whole day)."""
    day = snapshots.read_day(db, event, clock)
    people = {p.id for p in day.people}
    spans = [s for s in history.stays(db) if s.attendee_id in people]
    return {
        "version": VERSION,
        "event": {"name": event.name, "title": event.title, "date": event.date.isoformat(),
                  "venue": event.venue, "organiser": event.organiser},
        "computed_at": day.now.isoformat(timespec="seconds"),
        "purged": None,
        "totals": _totals(db, day, spans),
        "arrivals": snapshots.arrivals(day),
        "besturen": _besturen(day),
        "rooms": _rooms(day, spans),
        "coverage": _coverage(day),
        "catering": _catering(db, event, clock),
        "stations": history.station_scans(db, event),
        "movements": history.movements_per_bucket(db, event),
    }


def _totals(db: Database, day: snapshots.Day, spans: list[history.Stay]) -> dict:
    counted = snapshots.totals(day)
    registered = counted["expected"] - counted["walk_ins"]
    came_registered = sum(1 for p in day.people if p.status != "walk-in" and p.id in day.first_in)
    top = history.on_site_peak(day.event, spans)
    return {
        "registered": registered,
        "walk_ins": counted["walk_ins"],
        "expected": counted["expected"],
        "arrived": counted["arrived"],
        "no_shows": registered - came_registered,
        "show_up": round(came_registered / registered, 3) if registered else None,
        "cancelled": attendee_store.count_by_status(db)["cancelled"],
        "peak_on_site": top["count"],
        "peak_on_site_at": top["at"],
    }


def _besturen(day: snapshots.Day) -> list[dict]:
    """Per bestuur: registered beforehand, walk-ins, came, no-shows (the snapshot's counts)."""
    result = []
    for line in snapshots.besturen(day):
        registered = line["registered"] - line["walk_ins"]
        came_registered = line["arrived"] - _walk_ins_arrived(day, line["name"])
        result.append({"name": line["name"] or "(geen bestuur)", "registered": registered,
                       "walk_ins": line["walk_ins"], "arrived": line["arrived"],
                       "no_shows": registered - came_registered})
    return result


def _walk_ins_arrived(day: snapshots.Day, name: str) -> int:
    return sum(1 for p in day.people if p.status == "walk-in" and p.id in day.first_in
               and (p.bestuur or p.organisation) == name)


def _rooms(day: snapshots.Day, spans: list[history.Stay]) -> list[dict]:
    """Per block and theme: registered (the snapshot's rooms), who came into the room
    during the block and the peak against the capacity (the replayed log)."""
    replayed = {(r["block"], r["theme"]): r for r in history.rooms(day.event, spans)}
    result = []
    for room in snapshots.rooms(day):
        seen = replayed[room["block"], room["theme"]]
        result.append({
            "block": room["block"], "block_name": room["block_name"], "theme": room["theme"],
            "theme_name": room["theme_name"], "room": room["room"],
            "room_name": room["room_name"], "capacity": room["capacity"],
            "registered": room["registered"], "visitors": seen["visitors"],
            "peak": seen["peak"], "peak_at": seen["peak_at"],
        })
    return result


def _coverage(day: snapshots.Day) -> dict:
    """The bestuur x theme matrix of those who came, and the cross-pollination: how many
    themes each bestuur reached, how many besturen each theme heard (registered and came)."""
    matrix = snapshots.coverage(day)
    themes = [t["name"] for t in matrix["themes"]]

    def reach(rows: list[list[int]]) -> dict:
        cells = sum(1 for row in rows for n in row if n)
        return {
            "per_bestuur": [sum(1 for n in row if n) for row in rows],
            "per_theme": [sum(1 for row in rows if row[i]) for i in range(len(themes))],
            "cells": cells,
            "share": round(cells / (len(rows) * len(themes)), 3) if rows and themes else None,
        }

    return {"besturen": matrix["besturen"], "themes": themes,
            "registered": matrix["registered"], "arrived": matrix["arrived"],
            "reach_registered": reach(matrix["registered"]),
            "reach_arrived": reach(matrix["arrived"])}


def _catering(db: Database, event: Event, clock: EventClock) -> list[dict]:
    """Per lunch and tapas: registered, present when it started (what the kitchen screen
    said then), the forecast the kitchen screen showed at FORECAST_AT, and the dietary
    needs of those present."""
    forecast_at = dt.datetime.combine(event.date, FORECAST_AT, tzinfo=event.tz)
    then = {c["id"]: c for c in snapshots.catering(snapshots.read_day(db, event, clock,
                                                                       at=forecast_at))}
    result = []
    for moment in event.catering:
        start = dt.datetime.combine(event.date, moment.start, tzinfo=event.tz)
        at_start = next(c for c in snapshots.catering(snapshots.read_day(db, event, clock,
                                                                          at=start))
                        if c["id"] == moment.id)
        said = then[moment.id]["forecast"]
        result.append({
            "id": moment.id, "name": moment.name, "start": moment.start.strftime("%H:%M"),
            "registered": at_start["registered"], "present": at_start["on_site"],
            "forecast": said["expected"], "forecast_at": FORECAST_AT.strftime("%H:%M"),
            "forecast_explanation": said["explanation"],
            "diets": [{"id": d["id"], "name": d["name"], "count": d["count"]}
                      for d in at_start["diets"]],
        })
    return result
