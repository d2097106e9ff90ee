"""A large import from the command line while the server scans (issue 11, D5): the import
writes in batches, so no scan waits for the whole import's write lock."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from kiosk.checkin import auth
from kiosk.store import attendees

ROWS = 10_000  # twenty batches; read and written in a few seconds
HEADER = ("Voornaam;Familienaam;E-mailadres;Bestuur;Functie;Werksessie voormiddag;"
          "Werksessie namiddag;Lunch;Dieetwensen;Netwerkmoment;Opmerkingen")


def big_list(path: Path, people) -> Path:
    lines = [HEADER] + [f"{p.first_name};{p.last_name};{p.email};{p.organisation};;;;ja;;ja;"
                        for p in people]
    lines += [f"Voor{n};Naam{n};deelnemer{n}@lier.be;Lier;Adviseur;Mobiliteit;Economie;ja;;"
              "ja;" for n in range(ROWS)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def longest_wait_for_the_write_lock(db_path: Path, running) -> list[float]:
    """What a scan's transaction would wait: BEGIN IMMEDIATE from another connection, again
    and again while `running()`; the waits in seconds."""
    waits: list[float] = []
    probe = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    try:
        while running():
            started = time.perf_counter()
            probe.execute("BEGIN IMMEDIATE")
            waits.append(time.perf_counter() - started)
            probe.execute("ROLLBACK")
            time.sleep(0.005)
    finally:
        probe.close()
    return waits


def test_scans_keep_answering_during_a_large_import_from_another_process(
        server, loaded, event, db_path, tmp_path):
    _station, token = auth.create_station(loaded, event, "reception", "desk")
    people = attendees.all_attendees(loaded)
    source = big_list(tmp_path / "groot.csv", people)
    statuses: list[int] = []
    importing = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--db", str(db_path), "import", str(source)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(__file__).parents[1])

    def scan_until_done() -> None:
        rooms = ["onthaal", "plenaire-zaal"]
        with requests.Session() as session:
            n = 0
            while importing.poll() is None:
                response = session.post(
                    f"{server.url}/api/scans", headers={"Authorization": f"Bearer {token}"},
                    json={"code": people[n % 48].badge_code, "location": rooms[n // 48 % 2]},
                    timeout=30)
                statuses.append(response.status_code)
                n += 1
                time.sleep(0.02)

    scanning = threading.Thread(target=scan_until_done)
    scanning.start()
    waits = longest_wait_for_the_write_lock(db_path, lambda: importing.poll() is None)
    _out, err = importing.communicate(timeout=120)
    scanning.join()
    assert importing.returncode == 0, err.decode()
    assert attendees.count_by_status(loaded)["registered"] == 48 + ROWS
    assert statuses and set(statuses) == {200}  # every scan answered, none "locked"
    # Before the batches: one write transaction of ~1 s (more on a busy machine), every
    # scan waiting behind it. Now a writer waits for one batch at most (5-80 ms).
    assert max(waits) < 0.4, f"longest wait {max(waits):.2f} s of {len(waits)}"
