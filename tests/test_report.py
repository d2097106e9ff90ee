"""The post-event report after a simulated day: every figure against the database.

One day is played in-process for the whole module (tests/playing.py: the demo's 222
registrations, the planner's day with walk-ins, undos, a desk offline for seven minutes),
then `python -m kiosk report --out DIR` writes the report. Every number in report.html
carries the path of its figure (`data-figure`); each is recomputed here straight from the
SQLite file, with SQL and a replay of the log written for the test, and must agree.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from kiosk import create_app
from kiosk.event import load_event
from kiosk.headcounts import snapshots
from kiosk.report import charts, figures
from kiosk.store import connect
from tests.clocks import at, pinned
from tests.playing import demo_plan, play_day

EVENING = "21:00"


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    """A whole simulated day in a database file; the app and the report written of it."""
    folder = tmp_path_factory.mktemp("day")
    event = load_event()
    with connect(folder / "day.db") as db:
        plan = demo_plan(db, event, seed=1)
        played = play_day(db, event, plan)
    app = create_app({"DATABASE": str(folder / "day.db"), "SECRET_KEY": "t", "TESTING": True,
                      "CLOCK": pinned(EVENING)})
    result = app.test_cli_runner().invoke(args=["report", "--out", str(folder / "out")])
    assert result.exit_code == 0, result.output
    return {"folder": folder, "db": folder / "day.db", "app": app, "event": event,
            "played": played, "out": folder / "out", "output": result.output}


class _Figures(HTMLParser):
    """Collects data-figure -> shown value (or data-value) from report.html."""

    def __init__(self):
        super().__init__()
        self.found: dict[str, str] = {}
        self._open: list[str | None] = []
        self.sources: list[str] = []
        self.tags: Counter = Counter()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self.tags[tag] += 1
        for name in ("src", "href"):
            if values.get(name):
                self.sources.append(values[name])
        key = values.get("data-figure")
        if key and "data-value" in values:
            self.found[key] = values["data-value"]
            key = None
        self._open.append(key)

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1] and self._open[-1] not in self.found:
            self.found[self._open[-1]] = data.strip()


def read_report(out: Path) -> _Figures:
    parser = _Figures()
    parser.feed((out / "report.html").read_text(encoding="utf-8"))
    return parser


# --- the truth, straight from the file ------------------------------------------------------


class Truth:
    """Each figure recomputed from the SQLite file, without kiosk's services."""

    def __init__(self, path: Path, event):
        self.sql = sqlite3.connect(path)
        self.sql.row_factory = sqlite3.Row
        self.event = event
        self.people = {r["id"]: r for r in self.sql.execute(
            "SELECT * FROM attendees WHERE status != 'cancelled'")}
        self.scans = [r for r in self.sql.execute(
            "SELECT * FROM movements m WHERE kind = 'scan' AND NOT EXISTS (SELECT 1 FROM"
            " movements u WHERE u.undoes = m.id) ORDER BY recorded_at, id")
            if r["attendee_id"] in self.people]

    def first_in(self, until: str | None = None) -> dict[int, str]:
        sql = ("SELECT attendee_id, min(recorded_at) FROM movements m WHERE kind = 'scan'"
               " AND direction = 'in' AND recorded_at <= :until AND NOT EXISTS (SELECT 1 FROM"
               " movements u WHERE u.undoes = m.id AND u.recorded_at <= :until)"
               " GROUP BY attendee_id")
        return {a: t for a, t in self.sql.execute(sql, {"until": until or "9999"})}

    def where_at(self, moment: dt.datetime) -> dict[int, str]:
        """Who is on site at a moment, and where: the latest scan recorded by then."""
        stamp = moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")
        sql = ("SELECT attendee_id, location, direction FROM movements WHERE id IN (SELECT"
               " max(id) FROM movements m WHERE kind = 'scan' AND recorded_at <= :at AND NOT"
               " EXISTS (SELECT 1 FROM movements u WHERE u.undoes = m.id AND u.recorded_at"
               " <= :at) GROUP BY attendee_id)")
        return {a: loc for a, loc, d in self.sql.execute(sql, {"at": stamp}) if d == "in"}

    def status_count(self, status: str) -> int:
        return self.sql.execute("SELECT count(*) FROM attendees WHERE status = ?",
                                [status]).fetchone()[0]

    def group(self, person) -> str:
        return person["bestuur"] or person["organisation"] or "(geen bestuur)"

    def figure(self, key: str) -> int:
        group, _, rest = key.partition(".")
        return getattr(self, f"_{group}")(rest)

    def _totals(self, name: str) -> int:
        arrived = self.first_in()
        registered = [p for p in self.people.values() if p["status"] == "registered"]
        return {
            "registered": len(registered),
            "walk_ins": self.status_count("walk-in"),
            "cancelled": self.status_count("cancelled"),
            "arrived": sum(1 for pid in self.people if pid in arrived),
            "no_shows": sum(1 for p in registered if p["id"] not in arrived),
            "peak_on_site": self._most_at_once(
                lambda place: self.event.location(place).kind != "exit"),
        }[name]

    def _most_at_once(self, counts, start=None, end=None) -> int:
        """Replay every scan: the most people at once at a place `counts` accepts."""
        where: dict[int, str | None] = {}
        best = 0
        moments = sorted({s["recorded_at"] for s in self.scans})
        by_moment = defaultdict(list)
        for s in self.scans:
            by_moment[s["recorded_at"]].append(s)
        if start:
            for s in self.scans:
                if s["recorded_at"] < start:
                    where[s["attendee_id"]] = s["location"] if s["direction"] == "in" else None
            best = sum(1 for place in where.values() if place and counts(place))
        for moment in moments:
            if (start and moment < start) or (end and moment >= end):
                continue
            for s in by_moment[moment]:
                where[s["attendee_id"]] = s["location"] if s["direction"] == "in" else None
            best = max(best, sum(1 for place in where.values() if place and counts(place)))
        return best

    def _arrivals(self, rest: str) -> int:
        bucket, _, what = rest.rpartition(".")
        per = Counter()
        for pid, stamp in self.first_in().items():
            if pid not in self.people:
                continue
            local = dt.datetime.fromisoformat(stamp).astimezone(self.event.tz)
            per[local.replace(minute=local.minute - local.minute % 5).strftime("%H:%M")] += 1
        if what == "count":
            return per[bucket]
        return sum(n for b, n in per.items() if b <= bucket)

    def _besturen(self, rest: str) -> int:
        name, _, what = rest.rpartition(".")
        arrived = self.first_in()
        mine = [p for p in self.people.values() if self.group(p) == name]
        registered = [p for p in mine if p["status"] == "registered"]
        return {"registered": len(registered),
                "walk_ins": sum(1 for p in mine if p["status"] == "walk-in"),
                "arrived": sum(1 for p in mine if p["id"] in arrived),
                "no_shows": sum(1 for p in registered if p["id"] not in arrived)}[what]

    def _window(self, block: str) -> tuple[str, str]:
        slot = next(s for s in self.event.program if s.block == block)
        start = dt.datetime.combine(self.event.date, slot.start, tzinfo=self.event.tz)
        end = dt.datetime.combine(self.event.date, slot.end, tzinfo=self.event.tz)
        stamp = lambda m: m.astimezone(dt.UTC).isoformat(timespec="milliseconds")  # noqa: E731
        return stamp(start - dt.timedelta(minutes=30)), stamp(end)

    def _rooms(self, rest: str) -> int:
        block, theme, what = rest.split(".")
        room = self.event.room_for(theme, block)
        if what == "capacity":
            return room.capacity
        if what == "registered":
            return sum(1 for p in self.people.values()
                       if json.loads(p["sessions"]).get(block) == theme)
        start, end = self._window(block)
        if what == "peak":
            return self._most_at_once(lambda place: place == room.id, start, end)
        before = {}
        for s in self.scans:
            if s["recorded_at"] < start:
                before[s["attendee_id"]] = (s["location"], s["direction"])
        inside = {pid for pid, (loc, d) in before.items() if loc == room.id and d == "in"}
        inside |= {s["attendee_id"] for s in self.scans if s["location"] == room.id
                   and s["direction"] == "in" and start <= s["recorded_at"] < end}
        return len(inside)

    def _coverage(self, rest: str) -> int:
        arrived = self.first_in()
        members = [b.name for b in self.event.besturen if b.member]
        themes = {t.name: t.id for t in self.event.themes}

        def came(bestuur: str, theme_id: str, registered_only: bool = False) -> int:
            return sum(1 for p in self.people.values() if (p["bestuur"] or "") == bestuur
                       and theme_id in json.loads(p["sessions"]).values()
                       and (registered_only or p["id"] in arrived))

        if rest in ("cells", "cells_registered"):
            return sum(1 for b in members for t in themes.values()
                       if came(b, t, rest == "cells_registered"))
        first, _, second = rest.rpartition(".")
        if second == "themes":
            return sum(1 for t in themes.values() if came(first, t))
        if second == "besturen":
            return sum(1 for b in members if came(b, themes[first]))
        return came(first, themes[second])

    def _catering(self, rest: str) -> int:
        meal_id, _, what = rest.partition(".")
        moment = next(c for c in self.event.catering if c.id == meal_id)
        start = dt.datetime.combine(self.event.date, moment.start, tzinfo=self.event.tz)
        then = self.first_in(start.astimezone(dt.UTC).isoformat(timespec="milliseconds"))
        existing = [p for p in self.people.values()
                    if p["status"] != "walk-in" or p["id"] in then]
        registered = [p for p in existing if json.loads(p["meals"]).get(meal_id)]
        on_site = self.where_at(start)
        present = [p for p in registered if p["id"] in on_site]
        if what == "registered":
            return len(registered)
        if what == "present":
            return len(present)
        if what.startswith("diets."):
            diet = what.removeprefix("diets.")
            return sum(1 for p in present if diet in json.loads(p["diets"]))
        raise KeyError(what)  # the forecast is checked on its own, below

    def _stations(self, rest: str) -> int:
        station, _, what = rest.partition(".")
        where = "station_id IS NULL" if station == "none" else "station_id = ?"
        params = [] if station == "none" else [int(station)]
        if what == "scans":
            sql = f"SELECT count(*) FROM movements m WHERE kind = 'scan' AND {where}"
        elif what == "undone":
            sql = (f"SELECT count(*) FROM movements m WHERE kind = 'scan' AND {where} AND"
                   " EXISTS (SELECT 1 FROM movements u WHERE u.undoes = m.id)")
        else:
            sql = (f"SELECT count(*) FROM movements m WHERE kind = 'scan' AND {where} AND"
                   " (julianday(recorded_at) - julianday(client_time)) * 86400 > 60")
        return self.sql.execute(sql, params).fetchone()[0]


# --- the tests -------------------------------------------------------------------------------


def test_report_writes_every_file(day):
    """`report --out DIR` writes the HTML, the PDF and the three data files, and says so."""
    names = sorted(p.name for p in day["out"].iterdir())
    assert names == ["attendance.csv", "attendance.xlsx", "movements.csv", "report.html",
                     "report.pdf"]
    assert "gekomen" in day["output"] and str(day["out"] / "report.pdf") in day["output"]


def test_every_figure_in_the_report_agrees_with_the_database(day):
    """Every number report.html shows is recomputed from the file, and is the same."""
    shown = read_report(day["out"]).found
    truth = Truth(day["db"], day["event"])
    wrong = {}
    for key, value in shown.items():
        if key.startswith("catering.") and key.endswith(".forecast"):
            continue  # the forecast: see the next test
        number = int(value.split()[0]) if value not in ("–", "") else None
        expected = truth.figure(key)
        if number != expected:
            wrong[key] = (value, expected)
    assert wrong == {}
    groups = Counter(key.split(".")[0] for key in shown)
    # every part of the report is there, and checked: a figure per bestuur, room, meal...
    assert groups["totals"] == 6 and groups["rooms"] == 2 * 8 * 4
    assert groups["besturen"] == 4 * len(day["event"].besturen)
    assert groups["coverage"] >= 12 * 8 and groups["stations"] >= 3 * 14
    assert groups["arrivals"] > 20 and groups["catering"] >= 2 * (3 + 7)


def test_the_forecast_is_what_the_kitchen_screen_said_at_ten(day, tmp_path):
    """The report's 'voorspeld om 10:00' equals the kitchen's forecast on a copy of the
    database that holds only what had happened by 10:00, with the clock at 10:00."""
    copy = tmp_path / "at-ten.db"
    shutil.copy(day["db"], copy)
    ten = at("10:00")
    stamp = ten.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    with connect(copy) as db:
        walk_ins_later = [r[0] for r in db.execute(
            "SELECT id FROM attendees a WHERE status = 'walk-in' AND NOT EXISTS (SELECT 1 FROM"
            " movements m WHERE m.attendee_id = a.id AND m.recorded_at <= ?)", [stamp])]
        db.execute("DELETE FROM movements WHERE recorded_at > ?", [stamp])
        db.execute(f"DELETE FROM movements WHERE attendee_id IN ({','.join('?' * len(walk_ins_later))})", walk_ins_later)  # noqa: E501
        db.execute(f"DELETE FROM attendees WHERE id IN ({','.join('?' * len(walk_ins_later))})", walk_ins_later)  # noqa: E501
        kitchen = snapshots.snapshot(db, day["event"], pinned("10:00"))["catering"]
    shown = read_report(day["out"]).found
    for meal in kitchen:
        assert int(shown[f"catering.{meal['id']}.forecast"]) == meal["forecast"]["expected"]


def test_the_report_and_the_live_screens_agree(day):
    """The organiser's snapshot at the same moment gives the same totals and besturen."""
    app = day["app"]
    with connect(day["db"]) as db:
        live = snapshots.snapshot(db, day["event"], pinned(EVENING))
        numbers = figures.compute(db, day["event"], pinned(EVENING))
    assert numbers["totals"]["arrived"] == live["totals"]["arrived"]
    assert numbers["totals"]["walk_ins"] == live["totals"]["walk_ins"]
    assert numbers["arrivals"] == live["arrivals"]
    assert [(b["name"], b["arrived"]) for b in numbers["besturen"]] == \
        [(b["name"] or "(geen bestuur)", b["arrived"]) for b in live["besturen"]]
    assert app is not None


def test_the_html_is_self_contained(day):
    """report.html asks for nothing: no script, no stylesheet link, images as data URIs."""
    parsed = read_report(day["out"])
    assert parsed.tags["script"] == 0 and parsed.tags["link"] == 0
    assert parsed.tags["img"] == 6
    assert all(src.startswith("data:image/png;base64,") for src in parsed.sources)
    text = (day["out"] / "report.html").read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text and "@import" not in text


def test_the_pdf_holds_the_same_numbers(day):
    """report.pdf: six A4 pages, the key figures and the per-bestuur table in its text."""
    reader = PdfReader(day["out"] / "report.pdf")
    assert len(reader.pages) == 6
    assert all(round(float(p.mediabox.width)) == 595 for p in reader.pages)
    text = "\n".join(page.extract_text() for page in reader.pages)
    shown = read_report(day["out"]).found
    assert "Opkomst per bestuur" in text and "Kruisbestuiving" in text
    for key in ("totals.registered", "totals.arrived", "totals.no_shows"):
        assert shown[key] in text
    assert re.search(rf"Mechelen\s+{shown['besturen.Mechelen.registered']}\s+"
                     rf"{shown['besturen.Mechelen.walk_ins']}\s+"
                     rf"{shown['besturen.Mechelen.arrived']}", text)


def test_the_charts_read_in_grey_scale(day):
    """No chart relies on colour: every pixel of every chart is a grey."""
    with connect(day["db"]) as db:
        numbers = figures.compute(db, day["event"], pinned(EVENING))
    drawn = charts.all_charts(numbers, day["event"])
    assert set(drawn) == {"arrivals", "besturen", "rooms", "coverage", "catering", "stations"}
    for name, png in drawn.items():
        import io

        image = Image.open(io.BytesIO(png)).convert("RGB")
        colours = {c for _n, c in image.getcolors(1 << 20)}
        assert all(r == g == b for r, g, b in colours), name
        assert len(colours) > 10, name  # drawn, not blank


def test_the_data_files_hold_the_day(day):
    """attendance.csv is the export (one row per registration), movements.csv the log."""
    attendance = (day["out"] / "attendance.csv").read_text(encoding="utf-8-sig").splitlines()
    movements = (day["out"] / "movements.csv").read_text(encoding="utf-8-sig").splitlines()
    with connect(day["db"]) as db:
        people = db.execute("SELECT count(*) FROM attendees").fetchone()[0]
        logged = db.execute("SELECT count(*) FROM movements").fetchone()[0]
    assert attendance[0].startswith("email,first_name,last_name")
    assert len(attendance) == people + 1 and len(movements) == logged + 1
