"""`backup FILE`: a consistent, checked copy while the server keeps scanning."""

from __future__ import annotations

import sqlite3
import threading

import requests

from kiosk.checkin import auth
from kiosk.store import attendees, connect


def test_a_backup_while_the_server_scans_is_whole_and_scans_go_on(server, runner, loaded,
                                                                  event, tmp_path):
    _station, token = auth.create_station(loaded, event, "reception", "desk")
    people = attendees.all_attendees(loaded)
    answers: list[int] = []

    def scan_everyone() -> None:
        with requests.Session() as session:
            for person in people:
                answers.append(session.post(
                    f"{server.url}/api/scans", json={"code": person.badge_code},
                    headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code)

    scanning = threading.Thread(target=scan_everyone)
    scanning.start()
    copies = [tmp_path / f"kopie-{n}.db" for n in range(3)]
    for copy in copies:
        result = runner.invoke(args=["backup", str(copy)])
        assert result.exit_code == 0, result.output
        assert "integriteit ok" in result.output and "48 deelnemers" in result.output
    scanning.join()
    assert answers == [200] * 48  # the server never waited on the backup
    for copy in copies:
        with sqlite3.connect(copy) as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            in_copy = db.execute("SELECT count(*) FROM movements").fetchone()[0]
            assert 0 <= in_copy <= 48
    assert not list(tmp_path.glob(".*.part"))


def test_a_backup_restores_as_a_working_database(runner, loaded, tmp_path):
    copy = tmp_path / "kopie.db"
    assert runner.invoke(args=["backup", str(copy)]).exit_code == 0
    restored = connect(copy)  # what `--db kopie.db` does: migrations find nothing to do
    assert len(attendees.all_attendees(restored)) == 48
    assert {a.badge_code for a in attendees.all_attendees(restored)} == \
        {a.badge_code for a in attendees.all_attendees(loaded)}


def test_a_backup_never_overwrites_without_force(runner, loaded, tmp_path):
    copy = tmp_path / "kopie.db"
    copy.write_bytes(b"an older backup")
    refused = runner.invoke(args=["backup", str(copy)])
    assert refused.exit_code == 1 and "bestaat al" in refused.output
    assert "--force" in refused.output and copy.read_bytes() == b"an older backup"
    assert runner.invoke(args=["backup", str(copy), "--force"]).exit_code == 0
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT count(*) FROM attendees").fetchone() == (48,)


def test_a_backup_that_cannot_be_made_says_why_in_one_line(runner, app, loaded, tmp_path):
    missing = runner.invoke(args=["backup", str(tmp_path / "geen-map" / "k.db")])
    assert missing.exit_code == 1 and "deze map bestaat niet" in missing.output
    itself = runner.invoke(args=["backup", app.config["DATABASE"], "--force"])
    assert itself.exit_code == 1 and "de database zelf" in itself.output
    assert "Traceback" not in missing.output + itself.output
