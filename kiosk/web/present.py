"""Domain objects as the JSON the pages receive. Never an e-mail address."""

from __future__ import annotations

import datetime as dt

from kiosk.checkin.scans import ScanResult
from kiosk.event import Event
from kiosk.store.attendees import Attendee


def local_time(stamp: str | None, event: Event) -> str | None:
    """'09:04' in the event's time zone, from a stored UTC stamp."""
    if not stamp:
        return None
    return dt.datetime.fromisoformat(stamp).astimezone(event.tz).strftime("%H:%M")


def sessions(attendee: Attendee, event: Event) -> list[dict]:
    """Theme and room for each block the person registered for."""
    result = []
    for block in event.blocks:
        theme_id = attendee.sessions.get(block.id)
        if not theme_id:
            continue
        room = event.room_for(theme_id, block.id)
        result.append({"block": block.id, "block_name": block.name, "theme": theme_id,
                       "theme_name": event.theme(theme_id).name,
                       "room": room.id if room else None, "room_name": room.name if room else None})
    return result


def attendee(person: Attendee, event: Event, *, checked_in_at: str | None = None) -> dict:
    """What the reception sees of a person."""
    return {
        "id": person.id, "first_name": person.first_name, "last_name": person.last_name,
        "organisation": person.organisation, "function": person.function,
        "status": person.status, "code": person.badge_code,
        "sessions": sessions(person, event),
        "checked_in_at": local_time(checked_in_at, event),
        "note": person.note,
    }


def current_block(event: Event, moment: dt.datetime) -> str | None:
    """The block to send people to at `moment` (the running one, else the next)."""
    return event.current_block(moment.astimezone(event.tz).time())


def scan_result(result: ScanResult, event: Event, counts: dict, now: dt.datetime) -> dict:
    """A scan's answer; `now` (the event clock) says where to send people, and travels
    along so the station's own clock stays in step with the service's."""
    return {
        "result": result.result, "scan_id": result.scan_id, "location": result.location,
        "replayed": result.replayed,
        "flagged": result.flagged,
        "attendee": attendee(result.attendee, event, checked_in_at=result.first_checkin_at)
        if result.attendee else None,
        "first_checkin_at": local_time(result.first_checkin_at, event),
        "current_block": current_block(event, now),
        "now": now.isoformat(timespec="seconds"),
        "counts": counts,
    }
