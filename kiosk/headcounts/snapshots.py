"""Headcounts: who is where, derived from the movement log and the registrations.

Nothing here is a counter kept by hand: every snapshot is computed from the append-only
movements and the attendees, so it can never drift from the database. `snapshot()` gives
the whole picture (the organiser's); `for_role()` cuts out what each role may see. The
live screens get the same picture from counts kept up to date (kiosk.headcounts.tallies,
which the tests hold to this full recomputation after every step of a random day).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.clock import EventClock, real_now
from kiosk.clock import stamp as stored
from kiosk.event import Event
from kiosk.headcounts import forecast
from kiosk.store import attendees as attendee_store
from kiosk.store import history, movements
from kiosk.store import stations as station_store
from kiosk.store.attendees import Attendee

BUCKET_MINUTES = 5
STATION_OFFLINE_AFTER = dt.timedelta(minutes=2)


@dataclass
class Day:
    """Everything a snapshot is computed from, read once."""

    event: Event
    clock: EventClock
    now: dt.datetime  # the clock's event time when the day was read
    people: list[Attendee]  # not cancelled
    place: dict[int, str]  # attendee id -> location, for those on site
    first_in: dict[int, str]  # attendee id -> first check-in (UTC ISO)

    def on_site(self, person: Attendee) -> bool:
        return person.id in self.place

    def arrivals(self) -> forecast.Arrivals:
        """The day so far as the forecast needs it (plain data, no Attendee)."""
        return forecast.Arrivals(
            self.event, self.now, self.first_in, self.place.keys(), len(self.people),
            sum(1 for p in self.people if p.id in self.first_in))


_people_cache: dict[str, tuple[tuple, list[Attendee]]] = {}


def _expected_people(db: Database) -> list[Attendee]:
    """Everyone not cancelled. Parsed once and reused until the attendees change: snapshots
    come several times a second, registrations change a few times a day."""
    key, mark = db.conn.execute("PRAGMA database_list").fetchone()[2], \
        attendee_store.fingerprint(db)
    cached = _people_cache.get(key)
    if cached is None or cached[0] != mark:
        people = [a for a in attendee_store.all_attendees(db) if a.status != "cancelled"]
        cached = _people_cache[key] = (mark, people)
    return cached[1]


def read_day(db: Database, event: Event, clock: EventClock,
             at: dt.datetime | None = None) -> Day:
    """The day as it stands at the clock's time, or as it stood at `at`, a moment that is
    over (the report's "the kitchen screen at 10:00"): then only the movements recorded by
    that moment count, and a walk-in exists from their check-in on."""
    people = _expected_people(db)
    if at is None:
        places = movements.current_places(db)
        return Day(event, clock, clock.now().astimezone(event.tz), people,
                   {pid: m.location for pid, m in places.items() if m.direction == "in"},
                   movements.first_checkins(db))
    first_in = history.first_checkins_at(db, stored(at))
    people = [p for p in people if p.status != "walk-in" or p.id in first_in]
    return Day(event, clock, at.astimezone(event.tz), people,
               history.places_at(db, stored(at)), first_in)


def snapshot(db: Database, event: Event, clock: EventClock) -> dict:
    """The full picture at the clock's event time, as plain JSON-able data. `now` is that
    time (ISO 8601 with offset), `speed` and `rehearsal` say how the clock runs."""
    day = read_day(db, event, clock)
    return {
        "event": {"name": event.name, "date": event.date.isoformat()},
        **clock_fields(day.now, clock),
        "totals": totals(day),
        "locations": locations(day),
        "rooms": rooms(day),
        "catering": catering(day),
        "besturen": besturen(day),
        "coverage": coverage(day),
        "arrivals": arrivals(day),
        "stations": stations(db, day),
    }


def clock_fields(now: dt.datetime, clock: EventClock) -> dict:
    """The clock as every snapshot carries it."""
    return {"now": now.isoformat(timespec="seconds"), "clock": now.strftime("%H:%M"),
            "speed": clock.speed, "rehearsal": clock.rehearsal}


def totals(day: Day) -> dict[str, int]:
    return {
        "expected": len(day.people),
        "arrived": sum(1 for p in day.people if p.id in day.first_in),
        "on_site": sum(1 for p in day.people if day.on_site(p)),
        "walk_ins": sum(1 for p in day.people if p.status == "walk-in"),
    }


def locations(day: Day) -> list[dict]:
    present = Counter(day.place.values())
    return [{"id": loc.id, "name": loc.name, "kind": loc.kind, "capacity": loc.capacity,
             "present": present.get(loc.id, 0)} for loc in day.event.locations]


def rooms(day: Day) -> list[dict]:
    """Per work-session room and block: who is expected there, who is in, against capacity."""
    result = []
    current = day.event.current_block(day.now.time())
    by_session: dict[tuple[str, str], list[Attendee]] = defaultdict(list)
    by_place: dict[str, list[Attendee]] = defaultdict(list)
    for person in day.people:  # one pass, then look-ups: this runs several times a second
        for block_id, theme_id in person.sessions.items():
            by_session[block_id, theme_id].append(person)
        if person.id in day.place:
            by_place[day.place[person.id]].append(person)
    for block in day.event.blocks:
        for theme in day.event.themes:
            room = day.event.room_for(theme.id, block.id)
            if room is None:
                continue
            registered = by_session[block.id, theme.id]
            inside = by_place[room.id]
            result.append({
                "block": block.id, "block_name": block.name, "current": block.id == current,
                "theme": theme.id, "theme_name": theme.name,
                "room": room.id, "room_name": room.name, "capacity": room.capacity,
                "registered": len(registered),
                "expected": sum(1 for p in registered if day.on_site(p)),
                "present": len(inside),
                "besturen_present": sorted({p.bestuur or p.organisation for p in inside} - {""}),
                "people": [_person(p, day, room.id) for p in _by_name(registered)],
            })
    return result


def _person(person: Attendee, day: Day, room: str) -> dict:
    return {"id": person.id, "name": person.full_name, "organisation": person.organisation,
            "on_site": day.on_site(person), "here": day.place.get(person.id) == room}


def _by_name(people: list[Attendee]) -> list[Attendee]:
    return sorted(people, key=lambda p: (p.last_name.casefold(), p.first_name.casefold()))


def catering(day: Day) -> list[dict]:
    """Per catering moment: registered, on site now, the dietary needs of those on site."""
    result, arrivals = [], day.arrivals()
    for moment in day.event.catering:
        registered = [p for p in day.people if p.meals.get(moment.id)]
        present = [p for p in registered if day.on_site(p)]
        diets = Counter(d for p in present for d in p.diets)
        result.append({
            "id": moment.id, "name": moment.name, "start": moment.start.strftime("%H:%M"),
            "location": moment.location, "registered": len(registered),
            "on_site": len(present),
            "diets": [{"id": d.id, "name": d.name, "count": diets.get(d.id, 0)}
                      for d in day.event.diets] + [{"id": "other", "name": "Andere",
                                                     "count": diets.get("other", 0)}],
            # Allergies are the one case where the kitchen needs to know who: by name.
            "allergies": [{"name": p.full_name, "need": p.diet} for p in _by_name(present)
                          if "allergy" in p.diets],
            "notes": sorted(p.diet for p in present if "other" in p.diets),
            "forecast": forecast.for_moment(arrivals, moment, [p.id for p in registered]),
        })
    return result


def besturen(day: Day) -> list[dict]:
    registered = Counter(p.bestuur or p.organisation for p in day.people)
    arrived = Counter(p.bestuur or p.organisation for p in day.people if p.id in day.first_in)
    on_site = Counter(p.bestuur or p.organisation for p in day.people if day.on_site(p))
    walk_ins = Counter(p.bestuur or p.organisation for p in day.people
                       if p.status == "walk-in")
    names = [b.name for b in day.event.besturen]
    names += sorted(set(registered) - set(names))
    return [{"name": n, "registered": registered.get(n, 0), "arrived": arrived.get(n, 0),
             "on_site": on_site.get(n, 0), "walk_ins": walk_ins.get(n, 0)} for n in names]


def coverage(day: Day) -> dict:
    """The bestuur x theme matrix: how many of each bestuur take part in each theme (either
    block), registered, on site now, and arrived today (the report's: after the day nobody
    is on site). The point of the day is that every theme hears every bestuur."""
    members = [b.name for b in day.event.besturen if b.member]
    registered: dict[str, Counter] = defaultdict(Counter)
    present: dict[str, Counter] = defaultdict(Counter)
    arrived: dict[str, Counter] = defaultdict(Counter)
    for person in day.people:
        for theme in set(person.sessions.values()):
            registered[person.bestuur or ""][theme] += 1
            if day.on_site(person):
                present[person.bestuur or ""][theme] += 1
            if person.id in day.first_in:
                arrived[person.bestuur or ""][theme] += 1
    return {
        "besturen": members,
        "themes": [{"id": t.id, "name": t.name} for t in day.event.themes],
        "registered": [[registered[b][t.id] for t in day.event.themes] for b in members],
        "present": [[present[b][t.id] for t in day.event.themes] for b in members],
        "arrived": [[arrived[b][t.id] for t in day.event.themes] for b in members],
    }


def arrivals(day: Day) -> list[dict]:
    """First check-ins per 5 minutes (local time), with the running total."""
    buckets: Counter = Counter()
    for stamp in day.first_in.values():
        local = dt.datetime.fromisoformat(stamp).astimezone(day.event.tz)
        buckets[local.replace(minute=local.minute - local.minute % BUCKET_MINUTES, second=0,
                              microsecond=0)] += 1
    result, running = [], 0
    for start in sorted(buckets):
        running += buckets[start]
        result.append({"at": start.strftime("%H:%M"), "count": buckets[start],
                       "total": running})
    return result


def stations(db: Database, day: Day) -> list[dict]:
    return station_list(db, day.clock)


def station_list(db: Database, clock: EventClock) -> list[dict]:
    """Every active station's last contact. Whether a tablet is alive is a fact of the real
    world (a rehearsal at speed 60 does not make it silent for an hour); the time shown is
    that moment on the event clock, like every other time on the screens."""
    result, real = [], real_now()
    for station in station_store.all_stations(db):
        if station.revoked_at:
            continue
        seen = dt.datetime.fromisoformat(station.last_seen_at) if station.last_seen_at else None
        result.append({
            "id": station.id, "name": station.name, "role": station.role,
            "location": station.location,
            "last_seen": clock.event_time(seen).strftime("%H:%M:%S") if seen else None,
            "online": bool(seen and real - seen < STATION_OFFLINE_AFTER),
        })
    return result


# --- what each role may see -------------------------------------------------------------------


def for_role(full: dict, role: str, location: str | None = None) -> dict:
    """Cut a full snapshot down to one role: caterers see counts and dietary needs (names
    only for allergies), hosts their own room, reception the counter. Never an e-mail."""
    if role == "organiser":
        # The overview shows counts per room, not names: leaving the name lists out makes
        # each push ~10x smaller. An organiser watching one room gets the host's cut.
        rooms = [{k: v for k, v in r.items() if k != "people"} for r in full["rooms"]]
        return dict(full, rooms=rooms)
    view = {k: full[k] for k in ("event", "now", "clock", "speed", "rehearsal", "totals")}
    if role == "caterer":
        view["catering"] = full["catering"]
        view["arrivals"] = full["arrivals"]
    elif role == "host":
        view["rooms"] = [r for r in full["rooms"] if r["room"] == location]
        view["locations"] = [loc for loc in full["locations"] if loc["id"] == location]
    return view
