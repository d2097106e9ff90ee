"""The day as it went: how full each room got during its block, the peak on site, the
stations' scans, the movements per five minutes.

The live snapshot (`snapshots`) answers "now"; the report asks about a day that is over.
Where it asks what a screen showed at a past moment (the kitchen at 10:00), it takes the
snapshot's own functions on the day as it stood then (`snapshots.read_day(..., at=)`);
what no screen shows (a room's peak, who came into it during its block) is replayed here
from the same movement log, with the same rule: a person is where their latest live scan
put them, until their next one, and off site after an exit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.store import history
from kiosk.store import stations as station_store

BUCKET_MINUTES = 5
ROOM_OPENS_BEFORE = dt.timedelta(minutes=30)  # a block's room counts people from then on
# A scan the station made this long before the server recorded it waited on the tablet:
# an offline scan (sent when the network was back).
OFFLINE_AFTER = dt.timedelta(seconds=60)


def _moment(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp)


@dataclass(frozen=True)
class Stay:
    """One person at one place, from a scan until their next one (None: still there)."""

    attendee_id: int
    location: str
    start: dt.datetime
    end: dt.datetime | None


def stays(db: Database) -> list[Stay]:
    """The live log replayed: every stay at a place, oldest first."""
    result: list[Stay] = []
    open_stay: dict[int, int] = {}  # attendee id -> index of their current stay in result
    for step in history.live_scans(db):
        at = _moment(step.recorded_at)
        index = open_stay.pop(step.attendee_id, None)
        if index is not None:
            previous = result[index]
            result[index] = Stay(previous.attendee_id, previous.location, previous.start, at)
        if step.direction == "in":
            open_stay[step.attendee_id] = len(result)
            result.append(Stay(step.attendee_id, step.location, at, None))
    return result


@dataclass(frozen=True)
class Peak:
    count: int
    at: dt.datetime | None


def peak(spans: list[Stay], start: dt.datetime | None = None,
         end: dt.datetime | None = None) -> Peak:
    """The most people at once in these stays (clipped to start..end), and when first."""
    changes: list[tuple[dt.datetime, int]] = []
    for stay in spans:
        begin = max(stay.start, start) if start else stay.start
        finish = min(stay.end, end) if end and stay.end else (stay.end or end)
        if finish is not None and finish <= begin:
            continue
        changes.append((begin, 1))
        if finish is not None:
            changes.append((finish, -1))
    best, when, now = 0, None, 0
    for moment, change in sorted(changes, key=lambda c: (c[0], c[1])):  # leave before enter
        now += change
        if now > best:
            best, when = now, moment
    return Peak(best, when)


def _block_window(event: Event, block_id: str) -> tuple[dt.datetime, dt.datetime] | None:
    slot = next((s for s in event.program if s.kind == "sessions" and s.block == block_id),
                None)
    if slot is None:
        return None
    start = dt.datetime.combine(event.date, slot.start, tzinfo=event.tz)
    return start - ROOM_OPENS_BEFORE, dt.datetime.combine(event.date, slot.end, tzinfo=event.tz)


def rooms(event: Event, spans: list[Stay]) -> list[dict]:
    """Per block and theme: who came into its room during the block (from half an hour
    before it starts to its end), and the most people in it at once (with when)."""
    by_place: dict[str, list[Stay]] = defaultdict(list)
    for stay in spans:
        by_place[stay.location].append(stay)
    result = []
    for block in event.blocks:
        window = _block_window(event, block.id)
        for theme in event.themes:
            room = event.room_for(theme.id, block.id)
            if room is None or window is None:
                continue
            inside = [s for s in by_place[room.id]
                      if s.start < window[1] and (s.end is None or s.end > window[0])]
            top = peak(inside, *window)
            result.append({
                "block": block.id, "theme": theme.id, "room": room.id,
                "visitors": len({s.attendee_id for s in inside}),
                "peak": top.count, "peak_at": _hhmm(top.at, event),
            })
    return result


def on_site_peak(event: Event, spans: list[Stay]) -> dict:
    """The most people on site at once (every place but the exit) and when."""
    top = peak([s for s in spans if event.has_location(s.location)
                and event.location(s.location).kind != "exit"])
    return {"count": top.count, "at": _hhmm(top.at, event)}


def _hhmm(moment: dt.datetime | None, event: Event) -> str | None:
    return moment.astimezone(event.tz).strftime("%H:%M") if moment else None


def _bucket(stamp: str, event: Event) -> str:
    local = _moment(stamp).astimezone(event.tz)
    return local.replace(minute=local.minute - local.minute % BUCKET_MINUTES).strftime("%H:%M")


def movements_per_bucket(db: Database, event: Event) -> list[dict]:
    """Live scans per five minutes and place: how many came in, how many went out."""
    counts: Counter = Counter()
    for step in history.live_scans(db):
        counts[_bucket(step.recorded_at, event), step.location, step.direction] += 1
    keys = sorted({(at, location) for at, location, _ in counts})
    return [{"at": at, "location": location, "in": counts[at, location, "in"],
             "out": counts[at, location, "out"]} for at, location in keys]


def offline(scan: history.LoggedScan) -> bool:
    """Did this scan wait on its tablet (made well before the server recorded it)?"""
    if not scan.client_time:
        return False
    try:
        made = _moment(scan.client_time.replace("Z", "+00:00"))
    except ValueError:
        return False
    if made.tzinfo is None:
        return False
    return _moment(scan.recorded_at) - made > OFFLINE_AFTER


def station_scans(db: Database, event: Event) -> list[dict]:
    """Per station (revoked ones too): scans recorded, undone, made offline, and when the
    last offline one arrived. Scans recorded without a station (made from the command
    line or by a test) are one line with id None."""
    names = {s.id: s for s in station_store.all_stations(db)}
    per: dict[int | None, dict] = {}
    for scan in history.scan_log(db):
        line = per.setdefault(scan.station_id, {"scans": 0, "undone": 0, "offline": 0,
                                                "last_synced": None})
        line["scans"] += 1
        line["undone"] += scan.undone
        if offline(scan):
            line["offline"] += 1
            line["last_synced"] = _hhmm(_moment(scan.recorded_at), event)
    result = []
    for station_id, line in sorted(per.items(), key=lambda item: (item[0] is None, item[0] or 0)):
        station = names.get(station_id)
        result.append({"id": station_id, "name": station.name if station else "",
                       "role": station.role if station else "",
                       "location": station.location if station else None, **line})
    return result
