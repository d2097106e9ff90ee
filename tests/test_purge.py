"""`purge` after the event: the people go, the report stays.

A day is played in-process, the report written, then `purge`: no name, e-mail or badge
code is left anywhere in the database file (nor in its WAL), the console's files are
gone, and `report` afterwards shows exactly the same figures, from the aggregates.
"""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from kiosk import create_app
from kiosk.event import load_event
from kiosk.report import figures
from kiosk.store import connect
from kiosk.web.console.files import files_folder
from tests.clocks import pinned
from tests.playing import demo_plan, play_day
from tests.test_report import read_report

EVENING = "21:00"


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """A short simulated day (until 13:00), played once for the module."""
    event = load_event()
    path = tmp_path_factory.mktemp("played") / "day.db"
    with connect(path) as db:
        plan = demo_plan(db, event, seed=2)
        play_day(db, event, plan, until=plan.start.replace(hour=13, minute=0))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def day(played, tmp_path):
    """A copy of that day on a fresh file, and an app on it."""
    path = tmp_path / "day.db"
    shutil.copy(played, path)
    app = create_app({"DATABASE": str(path), "SECRET_KEY": "t", "TESTING": True,
                      "CLOCK": pinned(EVENING)})
    return app, path, load_event()


def names_and_codes(path) -> list[bytes]:
    with connect(path) as db:
        rows = db.execute("SELECT email, last_name, badge_code FROM attendees").fetchall()
    return [value.encode() for row in rows for value in row if len(value) > 5]


def test_purge_asks_first_and_does_nothing_when_told_no(day):
    """Without --yes purge says what would go and asks; "n" keeps everything."""
    app, path, _event = day
    result = app.test_cli_runner().invoke(args=["purge"], input="n\n")
    assert result.exit_code == 1 and "Niets verwijderd" in result.output
    assert "deelnemers" in result.output and "Persoonsgegevens definitief" in result.output
    with connect(path) as db:
        assert db.execute("SELECT count(*) FROM attendees").fetchone()[0] == 226  # 4 walk-ins


def test_after_purge_no_personal_data_is_left_in_the_file(day):
    """Names, e-mails and badge codes are gone from the tables, the free pages and the
    WAL; the console's folder (badge PDFs, uploads) is deleted."""
    app, path, _event = day
    secrets = names_and_codes(path)
    assert len(secrets) > 600
    folder = files_folder(app)
    (folder / "jobs" / "x").mkdir(parents=True)
    (folder / "jobs" / "x" / "badges-a4.pdf").write_bytes(b"%PDF names")
    result = app.test_cli_runner().invoke(args=["purge"], input="ja\n")
    assert result.exit_code == 0, result.output
    assert "Verwijderd: 226 deelnemers" in result.output and "1 bestanden" in result.output
    assert not folder.exists()
    with connect(path) as db:
        left = db.execute("SELECT (SELECT count(*) FROM attendees), (SELECT count(*) FROM"
                          " movements), (SELECT count(*) FROM presence),"
                          " (SELECT count(*) FROM import_rows)").fetchone()
    assert tuple(left) == (0, 0, 0, 0)
    raw = b"".join(p.read_bytes() for p in path.parent.glob("day.db*"))
    found = [s for s in secrets if s in raw]
    assert found == []


def test_the_report_after_purge_shows_the_same_figures(day, tmp_path):
    """The figures before and after the purge are the same; the report says it was purged
    and its data files hold totals instead of people."""
    app, path, event = day
    runner = app.test_cli_runner()
    assert runner.invoke(args=["report", "--out", str(tmp_path / "before")]).exit_code == 0
    with connect(path) as db:
        before = figures.compute(db, event, pinned(EVENING))
    assert runner.invoke(args=["purge", "--yes"]).exit_code == 0
    result = runner.invoke(args=["report", "--out", str(tmp_path / "after")])
    assert result.exit_code == 0 and "na purge" in result.output
    with connect(path) as db:
        after = figures.load(db, event, pinned(EVENING))
    assert after["purged"] and dict(after, purged=None) == before
    assert read_report(tmp_path / "after").found == read_report(tmp_path / "before").found
    html = (tmp_path / "after" / "report.html").read_text(encoding="utf-8")
    assert "persoonsgegevens werden op" in html
    rows = list(csv.reader(io.StringIO((tmp_path / "after" / "attendance.csv")
                                       .read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["bestuur", "registered", "walk_ins", "arrived", "no_shows"]
    assert sum(int(r[1]) for r in rows[1:]) == before["totals"]["registered"]
    moved = list(csv.reader(io.StringIO((tmp_path / "after" / "movements.csv")
                                        .read_text(encoding="utf-8-sig"))))
    assert moved[0] == ["from", "location", "location_name", "in", "out"] and len(moved) > 10


def test_a_second_purge_keeps_the_first_figures(day):
    """Purging again (after someone imported a list by mistake) removes the new people
    and keeps the figures of the day."""
    app, path, event = day
    runner = app.test_cli_runner()
    assert runner.invoke(args=["purge", "--yes"]).exit_code == 0
    with connect(path) as db:
        kept = figures.load(db, event, pinned(EVENING))
    from kiosk.registrations.demo import demo_csv
    from kiosk.registrations.importer import import_registrations

    with connect(path) as db:
        import_registrations(db, event, demo_csv(event)[:2000], "again.csv")
    result = runner.invoke(args=["purge", "--yes"])
    assert result.exit_code == 0 and "van de vorige purge behouden" in result.output
    with connect(path) as db:
        assert db.execute("SELECT count(*) FROM attendees").fetchone()[0] == 0
        assert figures.load(db, event, pinned(EVENING)) == kept
