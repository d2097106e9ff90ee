"""The self check-in kiosk's server side: the `kiosk` role, what it may see, checking in
by name or by code, printing, and the staff PIN. And the migration that let the stations
table take the new role."""

from __future__ import annotations

import json

import pytest
from sqlite_utils import Database

from kiosk.checkin import auth
from kiosk.checkin.auth import StationError
from kiosk.spooler import queue
from kiosk.store import attendees as attendee_store
from kiosk.store import connect, movements
from kiosk.store import printing as printing_store
from kiosk.store.schema import migrations


@pytest.fixture
def kiosk_station(loaded, event):
    station, token = auth.create_station(loaded, event, "kiosk", "Kiosk inkom", pin="4821")
    return station, token


@pytest.fixture
def kiosk(client, kiosk_station):
    """The test client paired as the kiosk tablet."""
    assert client.get(f"/pair/{kiosk_station[1]}").headers["Location"] == "/kiosk"
    return client


def kaat(db):
    return next(a for a in attendee_store.all_attendees(db) if a.first_name == "Kaat")


def test_finding_yourself_shows_only_names_and_bestuur_and_only_a_few(kiosk, loaded):
    """Nothing before two letters; then at most four people, with first name, last name
    and bestuur only (no e-mail, no code, no function); more matches: "type more"."""
    assert kiosk.post("/api/kiosk/find", json={"q": "k"}).get_json() == {
        "results": [], "too_many": False}
    found = kiosk.post("/api/kiosk/find", json={"q": "kaat"}).get_json()
    assert 1 <= len(found["results"]) <= 4 and not found["too_many"]
    assert set(found["results"][0]) == {"id", "first_name", "last_name", "organisation"}
    text = json.dumps(found)
    assert "@" not in text and kaat(loaded).badge_code not in text
    assert kiosk.post("/api/kiosk/find", json={"q": "an"}).get_json()["too_many"]
    assert kiosk.post("/api/kiosk/find", json={"q": "x" * 61}).status_code == 400


def test_checking_in_by_name_and_again_by_code(kiosk, loaded):
    """Picked by name: checked in, with where to go and nothing private; then the badge
    scanned: 'already', with the time."""
    person = kaat(loaded)
    kiosk.post("/api/kiosk/find", json={"q": "kaat"})
    first = kiosk.post("/api/kiosk/check-in", json={"attendee_id": person.id}).get_json()
    assert first["result"] == "checked_in" and first["attendee"]["first_name"] == "Kaat"
    assert "code" not in first["attendee"] and "@" not in json.dumps(first)
    assert first["attendee"]["sessions"] and first["print_job"] is None
    again = kiosk.post("/api/kiosk/check-in", json={"code": person.badge_code}).get_json()
    assert again["result"] == "already" and again["first_checkin_at"]


def test_what_the_kiosk_cannot_help_with_goes_to_reception(kiosk, loaded):
    """A forged code: 'unknown' (the page sends the guest to reception); a cancelled
    person: 'cancelled'; an unknown id 404; nonsense 400."""
    assert kiosk.post("/api/kiosk/check-in", json={"code": "NOT-A-BADGE"}).get_json()[
        "result"] == "unknown"
    assert kiosk.post("/api/kiosk/check-in", json={"attendee_id": "1"}).status_code == 400


def test_only_someone_the_kiosk_just_showed_can_be_picked(kiosk, loaded):
    """Checking in by id works only for the people the last search showed on this tablet:
    no checking in strangers by guessing ids. Nothing is written."""
    person = kaat(loaded)
    refused = kiosk.post("/api/kiosk/check-in", json={"attendee_id": person.id})
    assert refused.status_code == 403 and refused.get_json()["error"] == "not_offered"
    kiosk.post("/api/kiosk/find", json={"q": "yasmine"})
    assert kiosk.post("/api/kiosk/check-in", json={"attendee_id": person.id}).status_code == 403
    assert not movements.live_entries(loaded)
    kiosk.post("/api/kiosk/find", json={"q": "kaat"})
    assert kiosk.post("/api/kiosk/check-in", json={"attendee_id": person.id}).get_json()[
        "result"] == "checked_in"
    assert kiosk.post("/api/kiosk/check-in", data="{", content_type="application/json")\
        .status_code == 400


def test_the_kiosk_role_may_do_nothing_else(kiosk, kiosk_station):
    """No scans at other places, no name search with codes, no headcounts' details, no
    printers, no reception page; the kiosk page itself, yes."""
    headers = {"Authorization": f"Bearer {kiosk_station[1]}"}
    assert kiosk.post("/api/scans", json={"code": "X"}, headers=headers).status_code == 403
    assert kiosk.get("/api/attendees?q=kaat", headers=headers).status_code == 403
    assert kiosk.get("/api/printers", headers=headers).status_code == 403
    assert kiosk.get("/reception").status_code == 403
    page = kiosk.get("/kiosk")
    assert page.status_code == 200 and b"kiosk.js" in page.data and b"<a " not in page.data


def test_a_kiosk_with_a_printer_prints_the_badge_of_who_checks_in(kiosk, loaded,
                                                                  kiosk_station):
    """The kiosk's printer gets the badge; the kiosk may follow its own job only."""
    printer = queue.add_printer(loaded, "Kiosk labels", "brother_ql",
                                {"address": "tcp://192.0.2.11", "label": "62x29"})
    auth.configure(loaded, kiosk_station[0].id, printer_id=printer.id)
    kiosk.post("/api/kiosk/find", json={"q": "kaat"})
    body = kiosk.post("/api/kiosk/check-in", json={"attendee_id": kaat(loaded).id}).get_json()
    job = body["print_job"]
    assert (job["reason"], job["state"]) == ("kiosk", "queued")
    assert kiosk.get(f"/api/kiosk/print-jobs/{job['id']}").get_json() == {
        "id": job["id"], "state": "queued"}
    other = queue.enqueue(loaded, printer.id, kaat(loaded).id)  # not the kiosk's
    assert kiosk.get(f"/api/kiosk/print-jobs/{other.id}").status_code == 404


def test_the_pin_leaves_kiosk_mode_and_a_wrong_one_does_not(kiosk, loaded, kiosk_station):
    """A wrong PIN: 403, still a kiosk. The right one: unpaired, sent to the start page.
    The PIN is stored salted and hashed, never as typed."""
    assert kiosk.post("/api/kiosk/leave", json={"pin": "1234"}).status_code == 403
    assert kiosk.get("/kiosk").status_code == 200
    stored = loaded.execute("SELECT pin_hash FROM station_settings").fetchone()[0]
    assert stored.startswith("scrypt$") and "4821" not in stored
    left = kiosk.post("/api/kiosk/leave", json={"pin": "4821"})
    assert left.get_json() == {"left": True, "next": "/"}
    assert kiosk.get("/kiosk").headers["Location"] == "/"  # not paired any more


def test_five_wrong_pins_lock_the_kiosk_for_a_minute(kiosk, loaded):
    """Guessing is slowed down: after five wrong PINs even the right one waits (429)."""
    answers = [kiosk.post("/api/kiosk/leave", json={"pin": f"000{i}"}).status_code
               for i in range(5)]
    assert answers == [403, 403, 403, 403, 429]
    assert kiosk.post("/api/kiosk/leave", json={"pin": "4821"}).status_code == 429


def test_a_kiosk_needs_a_pin_of_four_to_eight_digits(loaded, event, runner):
    """Without a PIN nobody could leave kiosk mode: refused; the CLI asks for one."""
    with pytest.raises(StationError, match="pincode"):
        auth.create_station(loaded, event, "kiosk", "Kiosk")
    with pytest.raises(StationError, match="4 tot 8 cijfers"):
        auth.create_station(loaded, event, "kiosk", "Kiosk", pin="12")
    result = runner.invoke(args=["station", "add", "--role", "kiosk", "--name", "Kiosk 2"],
                           input="2468\n2468\n")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    station = auth.authenticate(loaded, token)
    assert station.role == "kiosk" and auth.check_pin(loaded, station.id, "2468") == "ok"


def test_adding_the_kiosk_role_rebuilt_stations_keeping_ids_and_tokens(tmp_path, event):
    """A database from before the kiosk role, with stations (one revoked): after the
    migration every station keeps its id, name, role and token (paired tablets stay
    paired), 'kiosk' is a role, and the CHECK still refuses a role that is none."""
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="allow_kiosk_role")
    made = [auth.create_station(old, event, role, f"{role} 1") for role in
            ("reception", "organiser", "caterer")]
    auth.revoke_station(old, made[2][0].id)
    before = list(old.query("SELECT * FROM stations ORDER BY id"))
    old.close()
    db = connect(path)  # applies the pending migrations
    assert list(db.query("SELECT * FROM stations ORDER BY id")) == before
    assert [auth.authenticate(db, token).id for _, token in made[:2]] == [1, 2]
    assert auth.create_station(db, event, "kiosk", "Kiosk", pin="4821")[0].id == 4
    with pytest.raises(Exception, match="CHECK"):
        db.execute("INSERT INTO stations (name, role, token_hash, created_at)"
                   " VALUES ('x', 'baas', 'h', 'now')")
    assert "kiosk" in db.execute("SELECT sql FROM sqlite_master WHERE name = 'stations'"
                                 ).fetchone()[0]
    assert printing_store.all_printers(db) == []
    db.close()
