"""Headcounts kept up to date instead of recomputed: the same snapshot as
`snapshots.snapshot`, at a cost that does not grow with the number of attendees.

Each process keeps, per database file, every person's contribution to the counts (per
location, room, meal, diet, bestuur, theme, arrival bucket: a list of counter keys), and
the counters themselves. Before a snapshot it asks the database who changed since it
last looked (`tally_changes`, a row per person written by triggers on attendees and on
presence, kiosk.store.schema) and, for those few people only, takes back their old
contribution and adds their new one. What a person contributes is read from the presence
table, the same facts the full recomputation reads from the movement log, so whatever
decides when someone arrived (an undo, an offline scan synced late) decides it here too.

`snapshots.snapshot` stays the reference: the tests replay a random day and compare the
two after every step. A snapshot at the event's past (`read_day(at=...)`) is always the
full recomputation.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlite_utils import Database

from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.headcounts import forecast, snapshots
from kiosk.store import tallies as store
from kiosk.store.attendees import Attendee
from kiosk.store.connection import reading

Key = tuple


@dataclass(frozen=True)
class Person:
    """What the counts need of one registration (not cancelled)."""

    attendee: Attendee
    group: str  # bestuur, else the organisation as registered
    bestuur: str  # bestuur or ''
    walk_in: bool
    sessions: tuple[tuple[str, str], ...]  # (block, theme)
    themes: frozenset[str]
    meals: tuple[str, ...]  # the catering moments they registered for
    diets: tuple[str, ...]
    order: tuple  # by name, as the screens list people, then by id

    @classmethod
    def of(cls, a: Attendee) -> Person:
        return cls(a, a.bestuur or a.organisation, a.bestuur or "", a.status == "walk-in",
                   tuple(a.sessions.items()), frozenset(a.sessions.values()),
                   tuple(m for m, yes in a.meals.items() if yes), tuple(a.diets),
                   (a.last_name.casefold(), a.first_name.casefold(), a.id))


@dataclass
class Entry:
    """One person's part in the counts, kept so that it can be taken back."""

    person: Person | None  # None: cancelled (they still count where they stand)
    place: str | None  # where they are, when on site
    first_in: str | None
    counts: list[Key] = field(default_factory=list)
    members: list[Key] = field(default_factory=list)
    minute: float | None = None  # first check-in, minutes after the reception opened


def contribution(entry: Entry, event: Event) -> None:
    """Fill in the counter keys and the lists this person is on (mirrors snapshots.py)."""
    place, first_in, p = entry.place, entry.first_in, entry.person
    keys, members = entry.counts, entry.members
    if place:
        keys.append(("loc", place))
    if first_in:
        keys.append(("bucket", _bucket(first_in, event)))
        entry.minute = forecast.arrival_minutes(event, first_in)
    if p is None:
        return
    keys += [("expected",), ("b_reg", p.group)]
    if p.walk_in:
        keys += [("walk_ins",), ("b_walk", p.group)]
    if first_in:
        keys += [("arrived",), ("b_arr", p.group)]
        keys += [("cov_arr", p.bestuur, t) for t in p.themes]
    if place:
        keys += [("on_site",), ("b_on", p.group), ("room_in", place), ("rg", place, p.group)]
        keys += [("cov_on", p.bestuur, t) for t in p.themes]
    keys += [("cov_reg", p.bestuur, t) for t in p.themes]
    for block, theme in p.sessions:
        keys.append(("reg", block, theme))
        members.append(("session", block, theme))
        if place:
            keys.append(("exp", block, theme))
    for meal in p.meals:
        keys.append(("meal_reg", meal))
        if first_in:
            keys.append(("meal_arr", meal))
            if not place:
                keys.append(("meal_gone", meal))
        if place:
            keys.append(("meal_on", meal))
            keys += [("meal_diet", meal, d) for d in p.diets]
            if "allergy" in p.diets:
                members.append(("allergy", meal))
            if "other" in p.diets:
                members.append(("notes", meal))


def _bucket(stamp: str, event: Event) -> dt.datetime:
    local = dt.datetime.fromisoformat(stamp).astimezone(event.tz)
    return local.replace(minute=local.minute - local.minute % snapshots.BUCKET_MINUTES,
                         second=0, microsecond=0)


class Tally:
    """The counters of one database file, for one event."""

    def __init__(self, event: Event):
        self.event = event
        self.lock = threading.Lock()
        self.mark: store.Mark | None = None
        self._empty()

    def _empty(self) -> None:
        self.entries: dict[int, Entry] = {}
        self.counts: Counter = Counter()
        self.room_groups: dict[str, Counter] = defaultdict(Counter)
        self.members: dict[Key, set[int]] = defaultdict(set)
        # Caches, dropped when anyone on the list changes: the list in name order, and the
        # rows of a room's name list (rebuilt only for the rooms a host is watching).
        self.sorted_members: dict[Key, list[Person]] = {}
        self.rows: dict[Key, dict[str, list[dict]]] = {}
        self.place: dict[int, str] = {}
        self.first_in: dict[int, str] = {}
        self.minutes: list[float] = []

    # --- keeping up ------------------------------------------------------------------

    def refresh(self, db: Database) -> None:
        """Read what changed since the last look (everything, the first time)."""
        with reading(db):
            mark = store.mark(db)
            if self.mark is None or mark.epoch != self.mark.epoch or mark.seq < self.mark.seq:
                self._empty()  # a new file, or a log that went back: start over
                people, presence = store.attendees_by_id(db), store.presence_by_id(db)
                ids = people.keys() | presence.keys()
            elif mark.seq > self.mark.seq:
                ids = store.changed_since(db, self.mark.seq)
                people, presence = store.attendees_by_id(db, ids), store.presence_by_id(db, ids)
            else:
                return
            for pid in sorted(ids):
                self.set(pid, people.get(pid), presence.get(pid))
            self.mark = mark

    def set(self, pid: int, attendee: Attendee | None, presence: store.Presence | None) -> None:
        """Replace one person's contribution by what the database says now."""
        old = self.entries.pop(pid, None)
        if old is not None:
            self._apply(pid, old, -1)
        if attendee is None and presence is None:
            return
        person = Person.of(attendee) if attendee and attendee.status != "cancelled" else None
        place = presence.location if presence and presence.direction == "in" else None
        entry = Entry(person, place, presence.first_in if presence else None)
        contribution(entry, self.event)
        self.entries[pid] = entry
        self._apply(pid, entry, +1)

    def _apply(self, pid: int, entry: Entry, sign: int) -> None:
        for key in entry.counts:
            self.counts[key] += sign
            if key[0] == "rg":
                self.room_groups[key[1]][key[2]] += sign
        for key in entry.members:
            (self.members[key].add if sign > 0 else self.members[key].discard)(pid)
            self.sorted_members.pop(key, None)
            self.rows.pop(key, None)
        self._follow(pid, self.place, entry.place, sign)
        self._follow(pid, self.first_in, entry.first_in, sign)
        if entry.minute is not None:
            if sign > 0:
                bisect.insort(self.minutes, entry.minute)
            else:
                del self.minutes[bisect.bisect_left(self.minutes, entry.minute)]

    @staticmethod
    def _follow(pid: int, mapping: dict, value, sign: int) -> None:
        if value is None:
            return
        if sign > 0:
            mapping[pid] = value
        else:
            mapping.pop(pid, None)

    # --- the snapshot ------------------------------------------------------------------

    def snapshot(self, db: Database, clock: EventClock,
                 people_for: Collection[str] | None = None) -> dict:
        """The full picture, as `snapshots.snapshot` makes it. The rooms' name lists (only
        hosts see them) are made for the rooms in `people_for` only, all when None."""
        event, now = self.event, clock.now().astimezone(self.event.tz)
        c = self.counts
        arrivals = forecast.Arrivals(event, now, self.first_in, self.place.keys(),
                                     c[("expected",)], c[("arrived",)])
        return {
            "event": {"name": event.name, "date": event.date.isoformat()},
            **snapshots.clock_fields(now, clock),
            "totals": {name: c[(name,)] for name in
                       ("expected", "arrived", "on_site", "walk_ins")},
            "locations": [{"id": loc.id, "name": loc.name, "kind": loc.kind,
                           "capacity": loc.capacity, "present": c["loc", loc.id]}
                          for loc in event.locations],
            "rooms": self._rooms(now, people_for),
            "catering": self._catering(arrivals),
            "besturen": self._besturen(),
            "coverage": self._coverage(),
            "arrivals": self._arrivals(),
            "stations": snapshots.station_list(db, clock),
        }

    def _people(self, key: Key) -> list[Person]:
        found = self.sorted_members.get(key)
        if found is None:
            found = sorted((self.entries[pid].person for pid in self.members[key]),
                           key=lambda p: p.order)
            self.sorted_members[key] = found
        return found

    def _rooms(self, now: dt.datetime, people_for: Collection[str] | None) -> list[dict]:
        event, c, result = self.event, self.counts, []
        current = event.current_block(now.time())
        for block in event.blocks:
            for theme in event.themes:
                room = event.room_for(theme.id, block.id)
                if room is None:
                    continue
                groups = self.room_groups.get(room.id, {})
                row = {
                    "block": block.id, "block_name": block.name,
                    "current": block.id == current,
                    "theme": theme.id, "theme_name": theme.name,
                    "room": room.id, "room_name": room.name, "capacity": room.capacity,
                    "registered": c["reg", block.id, theme.id],
                    "expected": c["exp", block.id, theme.id],
                    "present": c["room_in", room.id],
                    "besturen_present": sorted({g for g, n in groups.items() if n > 0} - {""}),
                }
                if people_for is None or room.id in people_for:
                    row["people"] = self._room_people(("session", block.id, theme.id), room.id)
                result.append(row)
        return result

    def _room_people(self, key: Key, room: str) -> list[dict]:
        return self._cached(key, lambda people: [self._person(p, room) for p in people], room)

    def _cached(self, key: Key, make, variant: str = "") -> list:
        """What `make` makes of the people on a list, in name order, until one changes."""
        rows = self.rows.setdefault(key, {})
        if variant not in rows:
            rows[variant] = make(self._people(key))
        return rows[variant]

    def _person(self, person: Person, room: str) -> dict:
        a = person.attendee
        return {"id": a.id, "name": a.full_name, "organisation": a.organisation,
                "on_site": a.id in self.place, "here": self.place.get(a.id) == room}

    def _catering(self, arrivals: forecast.Arrivals) -> list[dict]:
        c, result = self.counts, []
        curve = forecast.curve_of(arrivals, tuple(self.minutes))
        for moment in self.event.catering:
            m = moment.id
            result.append({
                "id": m, "name": moment.name, "start": moment.start.strftime("%H:%M"),
                "location": moment.location, "registered": c["meal_reg", m],
                "on_site": c["meal_on", m],
                "diets": [{"id": d.id, "name": d.name, "count": c["meal_diet", m, d.id]}
                          for d in self.event.diets]
                + [{"id": "other", "name": "Andere", "count": c["meal_diet", m, "other"]}],
                "allergies": self._cached(("allergy", m), lambda ps: [
                    {"name": p.attendee.full_name, "need": p.attendee.diet} for p in ps]),
                "notes": self._cached(("notes", m), lambda ps: sorted(
                    p.attendee.diet for p in ps)),
                "forecast": forecast.moment_forecast(
                    arrivals, curve, moment, c["meal_reg", m], c["meal_arr", m],
                    c["meal_gone", m]),
            })
        return result

    def _besturen(self) -> list[dict]:
        c = self.counts
        names = [b.name for b in self.event.besturen]
        registered = {k[1] for k, n in c.items() if k[0] == "b_reg" and n > 0}
        names += sorted(registered - set(names))
        return [{"name": n, "registered": c["b_reg", n], "arrived": c["b_arr", n],
                 "on_site": c["b_on", n], "walk_ins": c["b_walk", n]} for n in names]

    def _coverage(self) -> dict:
        c, themes = self.counts, self.event.themes
        members = [b.name for b in self.event.besturen if b.member]
        return {
            "besturen": members,
            "themes": [{"id": t.id, "name": t.name} for t in themes],
            **{kind: [[c[f"cov_{short}", b, t.id] for t in themes] for b in members]
               for kind, short in (("registered", "reg"), ("present", "on"),
                                   ("arrived", "arr"))},
        }

    def _arrivals(self) -> list[dict]:
        buckets = sorted((k[1], n) for k, n in self.counts.items() if k[0] == "bucket" and n)
        result, running = [], 0
        for start, count in buckets:
            running += count
            result.append({"at": start.strftime("%H:%M"), "count": count, "total": running})
        return result


_tallies: dict[str, Tally] = {}
_tallies_guard = threading.Lock()


def tally_for(db: Database, event: Event) -> Tally:
    """This process's tally of the database file (a new one for another event)."""
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    with _tallies_guard:
        tally = _tallies.get(path)
        if tally is None or tally.event is not event:
            tally = _tallies[path] = Tally(event)
        return tally


def snapshot(db: Database, event: Event, clock: EventClock,
             people_for: Collection[str] | None = None) -> dict:
    """`snapshots.snapshot`, from the kept counts: brought up to date, then read out."""
    tally = tally_for(db, event)
    with tally.lock:
        tally.refresh(db)
        return tally.snapshot(db, clock, people_for)
