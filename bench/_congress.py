"""A congress-sized day for the benchmarks: 10,000 registrations with varied names (the
demo's 50 first and 34 last names would make every name a thousand people's), and a
morning in progress: some on site at reception, some in the work-session rooms, some
gone home again. Built through the real import and the real scan service."""

from __future__ import annotations

import random
from pathlib import Path

from kiosk.checkin import scans
from kiosk.clock import EventClock
from kiosk.event import load_event
from kiosk.registrations.demo import FIRST, FUNCTIONS, HEADER, LAST
from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees, connect

SYLLABLES = ["van", "de", "ber", "man", "sen", "aert", "bo", "ck", "dri", "es", "gh",
             "hu", "ys", "jo", "kel", "lae", "mo", "ns", "ot", "pe", "ra", "st", "ue",
             "vl", "wa", "x", "ze", "ij", "ç", "ë"]


def varied_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def congress_csv(people: int, seed: int = 14) -> bytes:
    """`people` registrations: the demo's first names and mostly made-up surnames."""
    event, rng = load_event(), random.Random(seed)
    themes, besturen = [t.name for t in event.themes], [b.name for b in event.besturen]
    lines = [";".join(HEADER)]
    for i in range(people):
        first = rng.choice(FIRST) if rng.random() < 0.7 else varied_name(rng)
        last = rng.choice(LAST) if rng.random() < 0.2 else varied_name(rng)
        lines.append(";".join([first, last, f"p{i}@congres.be", rng.choice(besturen),
                               rng.choice(FUNCTIONS), rng.choice(themes), rng.choice(themes),
                               rng.choice(["ja", "ja", "nee"]),
                               rng.choice(["", "", "", "Vegetarisch", "Notenallergie"]),
                               rng.choice(["ja", "nee"]), ""]))
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def build(folder: Path, people: int = 10_000, on_site: int = 3_000, seed: int = 14) -> Path:
    """The database file of a morning at the congress: `on_site` people in, a third of
    them in a work-session room, and a tenth as many again who came and went home."""
    path = folder / "congress.db"
    db = connect(path)
    db.execute("PRAGMA synchronous = OFF")  # building the fixture, not measuring it
    event = load_event()
    import_registrations(db, event, congress_csv(people, seed), "congres.csv")
    rng = random.Random(seed)
    everyone = attendees.all_attendees(db)
    came = rng.sample(everyone, min(len(everyone), on_site + on_site // 10))
    rooms = [loc.id for loc in event.locations if loc.kind == "session"]
    for i, person in enumerate(came):
        minute = 8 * 60 + 30 + i * 60 // len(came)
        clock = EventClock.frozen(event_time(event, minute))
        scans.scan(db, event, scans.Scan(person.badge_code, "onthaal"), clock)
        if i >= on_site:
            scans.scan(db, event, scans.Scan(person.badge_code, "uitgang"), clock)
        elif i % 3 == 0:
            scans.scan(db, event, scans.Scan(person.badge_code, rng.choice(rooms)), clock)
    db.close()
    return path


def event_time(event, minutes: int):
    import datetime as dt

    return dt.datetime.combine(event.date, dt.time(minutes // 60, minutes % 60),
                               tzinfo=event.tz)


def morning_clock(event) -> EventClock:
    """The clock the snapshots are taken at: half past nine, the morning's sessions on."""
    return EventClock.frozen(event_time(event, 9 * 60 + 45))
