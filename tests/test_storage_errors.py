"""D11: a full disk or a read-only database gives a clear Dutch message — a 503 with JSON
that the station shows (its outbox keeps the scan), one line from the command line."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.store import attendees, connect, movements
from kiosk.web import context
from tests.conftest import SAMPLE


def _full_disk_connect(path, *, migrate=False):
    """A connection whose database may not grow a page: SQLite's SQLITE_FULL, as on a
    full disk."""
    db = connect(path, migrate=migrate)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    return db


def test_a_full_disk_answers_503_in_dutch_and_records_nothing_half(
        loaded, station_token, client, monkeypatch):
    token = station_token("reception")
    people = attendees.all_attendees(loaded, status="registered")
    monkeypatch.setattr(context, "connect", _full_disk_connect)
    answers = []
    for person in people:  # each check-in takes room; soon there is none
        response = client.post("/api/scans", json={"code": person.badge_code},
                               headers={"Authorization": f"Bearer {token}"})
        answers.append(response)
        if response.status_code != 200:
            break
    full = answers[-1]
    assert full.status_code == 503, [a.status_code for a in answers]
    body = full.get_json()
    assert body["error"] == "storage_full" and "(schijf vol)" in body["message"]
    assert "schijf van de server is vol" in body["detail"]
    assert "blijft op dit toestel bewaard" in body["message"]
    assert full.headers["Retry-After"] == "30"
    assert len(movements.live_entries(loaded)) == len(answers) - 1  # the failed one: nothing


def test_a_read_only_database_answers_503_to_a_scan(loaded, station_token, client,
                                                    monkeypatch, db_path):
    token = station_token("reception")
    zoe = attendees.get_by_email(loaded, "zoe.janssens@putte.be")

    def read_only(path, *, migrate=False):
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)
        from kiosk.store.connection import KioskDatabase
        return KioskDatabase(conn, path)

    monkeypatch.setattr(context, "connect", read_only)
    response = client.post("/api/scans", json={"code": zoe.badge_code},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503
    assert response.get_json()["error"] == "storage_read_only"
    assert movements.live_entries(loaded) == []


@pytest.mark.parametrize("command", [["station", "add", "--role", "reception", "--name", "X"],
                                     ["import", str(SAMPLE)]])
def test_commands_on_a_read_only_database_print_one_line_and_no_traceback(
        tmp_path, command, monkeypatch):
    """The real command line (its click group) on a database SQLite opens read-only (as a
    file without write permission is opened for any user but root)."""
    from click.testing import CliRunner

    from kiosk.commands.cli import main

    path = tmp_path / "k.db"
    connect(path).close()
    real_connect = sqlite3.connect

    def read_only(database, *args, **kwargs):
        kwargs["uri"] = True
        return real_connect(f"file:{database}?mode=ro", *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    monkeypatch.setenv("KIOSK_INSTANCE", str(tmp_path / "instance"))
    result = CliRunner().invoke(main, ["--db", str(path), *command])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # click's one line, not a traceback
    assert "Traceback" not in result.output
    assert result.output.strip().splitlines()[-1:] == [
        f"Error: {path}: De databank kan alleen gelezen worden: er kan niets bewaard worden. "
        "Controleer de schrijfrechten van het databankbestand en zijn map."]
    listed = CliRunner().invoke(main, ["--db", str(path), "station", "list"])
    assert listed.exit_code == 0, listed.output  # reading still works
