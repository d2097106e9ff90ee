"""The kept headcounts (kiosk.headcounts.tallies) say what the full recomputation says,
after every step of a random day: check-ins, exits, room moves, undos, walk-ins,
cancellations and their undoing, edits, a wiped rehearsal."""

from __future__ import annotations

import random

import pytest

from kiosk.checkin import scans
from kiosk.checkin.walkin import register_walk_in
from kiosk.headcounts import snapshots, tallies
from kiosk.registrations import edits
from kiosk.rehearsal import wipe
from kiosk.store import attendees, connect, transaction
from kiosk.store.attendees import Attendee
from tests.clocks import pinned


def clock_at(step: int):
    minutes = 8 * 60 + 40 + step // 2  # the morning moves on: arrivals in several buckets
    return pinned(f"{minutes // 60:02d}:{minutes % 60:02d}")


class Day:
    """A day played at random on the shared sample, with a second connection that reads,
    as the live screens' own connection does."""

    def __init__(self, db, event, seed: int):
        self.db, self.event, self.rng = db, event, random.Random(seed)
        self.reader = connect(db.path, migrate=False)
        db.execute("PRAGMA synchronous = OFF")  # hundreds of small commits: no fsync each
        self.scans: list[str] = []
        self.step = 0

    def person(self):
        return self.rng.choice(attendees.all_attendees(self.db))

    def scan(self, location: str) -> None:
        result = scans.scan(self.db, self.event, scans.Scan(self.person().badge_code, location),
                            clock_at(self.step))
        if result.movement_id:
            self.scans.append(result.scan_id)

    def undo(self) -> None:
        if self.scans:
            scans.undo(self.db, self.rng.choice(self.scans), clock_at(self.step))

    def walk_in(self) -> None:
        themes = [t.id for t in self.event.themes]
        form = {"first_name": f"Gast{self.step}", "last_name": "Ter Plaatse",
                "organisation": self.rng.choice(["Lier", "Putte", "Stad Antwerpen"]),
                "sessions": {b.id: self.rng.choice(themes) for b in self.event.blocks},
                "meals": {"lunch": True, "tapas": self.rng.random() < 0.5},
                "diet": self.rng.choice(["", "vegetarisch", "notenallergie", "geen ui"])}
        register_walk_in(self.db, self.event, form, "onthaal", clock_at(self.step))

    def edit(self) -> None:
        person = self.person()
        themes = [t.id for t in self.event.themes]
        form = {"first_name": person.first_name, "last_name": self.rng.choice(
                    [person.last_name, "Anders"]),
                "organisation": self.rng.choice(["Mechelen", "Bornem", "Elders vzw"]),
                "diet": self.rng.choice(["", "halal", "allergie voor noten", "geen look"]),
                **{f"session:{b.id}": self.rng.choice(themes + [""])
                   for b in self.event.blocks},
                **{f"meal:{c.id}": "1" for c in self.event.catering if self.rng.random() < .7}}
        edits.edit(self.db, self.event, person.id, form)

    def play(self) -> str:
        """One random step; returns what it was."""
        rooms = [loc.id for loc in self.event.locations if loc.kind == "session"]
        actions = {
            "check-in": lambda: self.scan("onthaal"),
            "room": lambda: self.scan(self.rng.choice(rooms + ["lunch", "tapas"])),
            "exit": lambda: self.scan("uitgang"),
            "undo": self.undo,
            "walk-in": self.walk_in,
            "cancel": lambda: edits.cancel(self.db, self.person().id),
            "restore": lambda: edits.restore(self.db, self.person().id),
            "edit": self.edit,
        }
        weights = [30, 20, 8, 6, 4, 3, 2, 5]
        name = self.rng.choices(list(actions), weights)[0]
        actions[name]()
        self.step += 1
        return name

    def compare(self, what: str) -> None:
        clock = clock_at(self.step)
        kept = tallies.snapshot(self.reader, self.event, clock)
        full = snapshots.snapshot(self.reader, self.event, clock)
        different = [key for key in full if kept[key] != full[key]]
        assert different == [], f"after step {self.step} ({what}): {different}"


@pytest.mark.parametrize("seed", [1, 2])
def test_a_random_day_counted_as_it_goes_equals_the_full_count(loaded, event, seed):
    day = Day(loaded, event, seed)
    day.compare("start")
    played = []
    for _ in range(150):
        played.append(day.play())
        day.compare(played[-1])
    totals = tallies.snapshot(day.reader, event, clock_at(day.step))["totals"]
    assert totals["walk_ins"] > 0 and 0 < totals["on_site"] < totals["arrived"]
    assert {"undo", "cancel", "edit", "restore"} <= set(played)


def test_a_bulk_insert_and_a_wiped_rehearsal_are_followed(loaded, event):
    day = Day(loaded, event, 3)
    for _ in range(40):
        day.play()
    day.compare("played")
    late = [Attendee(email=f"laat{i}@lier.be", first_name="Laat", last_name=f"Nummer {i}",
                     organisation="Lier", bestuur="Lier", sessions={"voormiddag": "economie"},
                     meals={"lunch": True}, badge_code=f"LATE{i:04d}", created_at="t",
                     updated_at="t") for i in range(30)]
    with transaction(loaded):
        attendees.insert_many(loaded, late)  # a second import's new rows: one statement
    day.compare("bulk insert")
    wipe.rehearsals(loaded)  # the pinned clocks are rehearsal clocks: everything goes
    day.compare("wiped")
    assert tallies.snapshot(day.reader, event, clock_at(0))["totals"]["arrived"] == 0


def test_only_the_rooms_asked_for_carry_their_name_lists(loaded, event):
    full = tallies.snapshot(loaded, event, pinned(), people_for=("zaal-3",))
    assert {r["room"] for r in full["rooms"] if "people" in r} == {"zaal-3"}
    host = snapshots.for_role(full, "host", "zaal-3")
    assert host == snapshots.for_role(snapshots.snapshot(loaded, event, pinned()),
                                      "host", "zaal-3")
