"""Scans that come late from a station's outbox, and scan_ids that are a station's own
(D10): reconciling on the server."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from kiosk.checkin import scans
from kiosk.checkin.scans import Scan, ScanConflict
from kiosk.store import attendees, flags, history, movements, schema
from kiosk.web.present import local_time
from tests.clocks import at, pinned

CLOCK = pinned("09:30")


@pytest.fixture
def zoe(loaded):
    return attendees.get_by_email(loaded, "zoe.janssens@putte.be")


def iso(hhmm: str) -> str:
    return at(hhmm).isoformat()


def late(db, event, person, hhmm, station, location="onthaal", **kw):
    """A scan made offline at `hhmm` on `station`, reaching the server at 09:30."""
    return scans.scan(db, event, Scan(person.badge_code, location, str(uuid.uuid4()),
                                      client_time=iso(hhmm), station_id=station, offline=True,
                                      **kw), CLOCK)


def arrival(db, event, person) -> str:
    return local_time(movements.first_checkin(db, person.id), event)


def test_a_late_scan_counts_at_the_time_it_was_made(loaded, event, zoe):
    result = late(loaded, event, zoe, "09:05", station=1)
    assert result.result == "checked_in"
    assert arrival(loaded, event, zoe) == "09:05"
    [entry] = movements.live_entries(loaded)
    assert local_time(entry.recorded_at, event) == "09:30" and entry.offline == 1
    # the arrival buckets of the report and the console follow it
    assert [local_time(s.recorded_at, event) for s in history.live_scans(loaded)] == ["09:05"]


def test_an_online_scan_and_a_client_time_in_the_future_or_far_past_count_when_recorded(
        loaded, event, zoe):
    online = scans.scan(loaded, event, Scan(zoe.badge_code, "onthaal", client_time=iso("09:05"),
                                            station_id=1), CLOCK)
    assert online.result == "checked_in" and arrival(loaded, event, zoe) == "09:30"
    assert movements.happened("2023-05-23T07:30:00.000+00:00", iso("09:45"), True) == \
        "2023-05-23T07:30:00.000+00:00"
    assert movements.happened("2023-05-23T07:30:00.000+00:00", "2023-05-22T09:00:00+02:00",
                              True) == "2023-05-23T07:30:00.000+00:00"
    assert movements.happened("2023-05-23T07:30:00.000+00:00", "nonsense", True) == \
        "2023-05-23T07:30:00.000+00:00"


def test_two_stations_offline_with_one_badge_end_as_one_check_in_at_the_earliest(
        loaded, event, zoe):
    later = late(loaded, event, zoe, "09:09", station=2)  # reaches the server first
    earlier = late(loaded, event, zoe, "09:04", station=1)
    assert later.result == earlier.result == "checked_in"
    [entry] = movements.live_entries(loaded)
    assert entry.station_id == 1 and arrival(loaded, event, zoe) == "09:04"
    assert scans.counts(loaded).as_dict()["arrived"] == 1
    assert movements.arrival_counts_from_log(loaded) == (1, 1)
    # and a third, later still, is simply 'already'
    assert late(loaded, event, zoe, "09:12", station=3).result == "already"


def test_an_earlier_offline_arrival_keeps_the_later_room_entry(loaded, event, zoe):
    room = scans.scan(loaded, event, Scan(zoe.badge_code, "zaal-1", station_id=5), CLOCK)
    assert room.result == "checked_in"
    late(loaded, event, zoe, "09:02", station=1)
    assert arrival(loaded, event, zoe) == "09:02"
    assert movements.last_live(loaded, zoe.id).location == "zaal-1"  # still in the room
    assert len(movements.live_entries(loaded)) == 2


def test_a_late_scan_of_a_registration_cancelled_meanwhile_is_flagged_not_counted(
        loaded, event, zoe):
    loaded.execute("UPDATE attendees SET status = 'cancelled' WHERE id = ?", [zoe.id])
    result = late(loaded, event, zoe, "09:05", station=1)
    assert result.result == "cancelled" and result.flagged
    assert scans.counts(loaded).arrived == 0
    [flag] = flags.all_flags(loaded)
    assert flag["reason"] == "cancelled" and flag["first_name"] == "Zoë"


def test_scan_ids_are_a_station_s_own(loaded, event, zoe):
    other = attendees.get_by_email(loaded, "an.nuyts@duffel.be")
    first = scans.scan(loaded, event, Scan(zoe.badge_code, "onthaal", "same", station_id=1),
                       CLOCK)
    reuse = scans.scan(loaded, event, Scan(other.badge_code, "onthaal", "same", station_id=2),
                       CLOCK)
    assert first.result == reuse.result == "checked_in"
    assert reuse.attendee.id == other.id and not reuse.replayed
    assert len(movements.live_entries(loaded)) == 2
    with pytest.raises(ScanConflict):  # the same station, the same id, another badge
        scans.scan(loaded, event, Scan(other.badge_code, "onthaal", "same", station_id=1), CLOCK)


def test_a_retry_after_an_undo_answers_undone(loaded, event, zoe):
    scans.scan(loaded, event, Scan(zoe.badge_code, "onthaal", "s-1", station_id=1), CLOCK)
    assert scans.undo(loaded, "s-1", CLOCK, station_id=1).result == "undone"
    retry = scans.scan(loaded, event, Scan(zoe.badge_code, "onthaal", "s-1", station_id=1), CLOCK)
    assert retry.result == "undone" and retry.replayed


def test_the_migration_keeps_rows_ids_and_other_triggers(tmp_path, event):
    from kiosk.store import connect

    path = tmp_path / "old.db"
    db = connect(path, migrate=False)
    schema.migrations.apply(db, stop_before="scope_scan_ids_and_place_offline_scans")
    db.execute("INSERT INTO attendees (email, badge_code, created_at, updated_at)"
               " VALUES ('a@b.be', 'X', 'now', 'now')")
    db.execute("CREATE TABLE audit (n INTEGER)")
    db.execute("CREATE TRIGGER movements_audit AFTER INSERT ON movements"
               " BEGIN INSERT INTO audit VALUES (NEW.id); END")
    for scan_id in ("a", "b"):
        db.execute("INSERT INTO movements (attendee_id, location, direction, scan_id,"
                   " station_id, recorded_at) VALUES (1, 'onthaal', 'in', ?, 1,"
                   " '2023-05-23T07:00:00.000+00:00')", [scan_id])
    db.execute("INSERT INTO movements (attendee_id, location, direction, kind, recorded_at,"
               " undoes) VALUES (1, 'onthaal', 'out', 'undo', '2023-05-23T07:01:00.000+00:00', 2)")
    schema.migrations.apply(db)

    rows = db.execute("SELECT id, scan_id, happened_at, offline FROM movements").fetchall()
    assert rows == [(1, "a", "2023-05-23T07:00:00.000+00:00", 0),
                    (2, "b", "2023-05-23T07:00:00.000+00:00", 0),
                    (3, None, "2023-05-23T07:01:00.000+00:00", 0)]
    assert db.execute("SELECT first_in FROM presence").fetchone()[0] == \
        "2023-05-23T07:00:00.000+00:00"
    db.execute("INSERT INTO movements (attendee_id, location, direction, scan_id, station_id,"
               " recorded_at, happened_at) VALUES (1, 'onthaal', 'in', 'a', 2, 'x', 'x')")
    assert db.execute("SELECT count(*) FROM audit").fetchone()[0] == 4  # its trigger kept
    table_sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'movements'").fetchone()[0]
    assert "REFERENCES movements(id)" in table_sql.replace('"', "")
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(sqlite3.IntegrityError):  # station 1's 'a' is taken
        db.execute("INSERT INTO movements (attendee_id, location, direction, scan_id,"
                   " station_id, recorded_at, happened_at) VALUES (1, 'x', 'in', 'a', 1, 'x', 'x')")


@pytest.fixture
def as_station(loaded, station_token, client):
    def make(role: str):
        token = station_token(role)
        return lambda path, **kw: client.post(path, headers={"Authorization": f"Bearer {token}"},
                                              **kw)
    return make


def test_d10_the_api_answers_a_conflicting_reuse_with_409_and_writes_nothing(
        as_station, loaded, zoe):
    desk = as_station("reception")
    other = attendees.get_by_email(loaded, "an.nuyts@duffel.be")
    assert desk("/api/scans", json={"code": zoe.badge_code, "scan_id": "x"}).status_code == 200
    reuse = desk("/api/scans", json={"code": other.badge_code, "scan_id": "x"})
    assert reuse.status_code == 409 and reuse.get_json()["error"] == "scan_id_conflict"
    again = desk("/api/scans", json={"code": zoe.badge_code, "scan_id": "x", "offline": True})
    assert again.status_code == 200 and again.get_json()["replayed"] is True
    assert len(movements.live_entries(loaded)) == 1


def test_d10_a_station_undoes_only_its_own_scans_the_organiser_any(as_station, loaded, zoe):
    first, second, organiser = (as_station("reception"), as_station("reception"),
                                as_station("organiser"))
    assert first("/api/scans", json={"code": zoe.badge_code, "scan_id": "u"}).status_code == 200
    refused = second("/api/scans/u/undo")
    assert refused.status_code == 403 and refused.get_json()["error"] == "not_yours"
    assert len(movements.live_entries(loaded)) == 1
    assert organiser("/api/scans/u/undo").get_json()["result"] == "undone"
    retry = first("/api/scans", json={"code": zoe.badge_code, "scan_id": "u"}).get_json()
    assert retry["result"] == "undone" and movements.live_entries(loaded) == []
    assert first("/api/scans/u/undo").get_json()["result"] == "already_undone"


def test_the_organiser_sees_per_station_what_came_offline_and_the_flags(
        as_station, loaded, zoe, paired, client, station_token):
    desk = as_station("reception")
    other = attendees.get_by_email(loaded, "an.nuyts@duffel.be")
    loaded.execute("UPDATE attendees SET status = 'cancelled' WHERE id = ?", [other.id])
    for person in (zoe, other):
        desk("/api/scans", json={"code": person.badge_code, "offline": True,
                                 "client_time": iso("09:10"), "scan_id": str(person.id)})
    third = attendees.all_attendees(loaded, status="registered")[-1]
    desk("/api/scans", json={"code": third.badge_code})  # online: not counted as offline
    token = station_token("organiser")
    body = client.get("/api/stations/offline",
                      headers={"Authorization": f"Bearer {token}"}).get_json()
    [line] = [s for s in body["stations"] if s["offline_scans"]]
    assert line == {"id": line["id"], "name": "reception test", "role": "reception",
                    "offline_scans": 1, "last_synced": "09:20", "flagged": 1}
    [flag] = body["flagged"]
    assert flag["name"] == "An Nuyts" and flag["reason"] == "cancelled"
    page = paired("organiser").get("/organiser/stations/").get_data(as_text=True)
    assert "1 · verzonden 09:20" in page and "1 gemarkeerd" in page and "An Nuyts" in page
    assert client.get("/api/stations/offline",
                      headers={"Authorization": f"Bearer {station_token('reception')}"}
                      ).status_code == 403


def test_a_writer_that_does_not_know_happened_at_gets_the_recorded_time(loaded, zoe):
    loaded.execute("INSERT INTO movements (attendee_id, location, direction, recorded_at)"
                   " VALUES (?, 'onthaal', 'in', '2023-05-23T07:00:00.000+00:00')", [zoe.id])
    [entry] = movements.live_entries(loaded)
    assert entry.happened_at == entry.recorded_at
    assert movements.first_checkin(loaded, zoe.id) == "2023-05-23T07:00:00.000+00:00"


def test_a_walk_in_made_offline_is_created_once_however_often_it_is_sent(
        as_station, loaded, event):
    desk = as_station("reception")
    form = {"first_name": "Lotte", "last_name": "Offline", "email": "lotte@example.org",
            "scan_id": "walk-1", "client_time": iso("09:11"), "offline": True}
    first = desk("/api/walk-ins", json=form)
    again = desk("/api/walk-ins", json=form)
    assert first.status_code == again.status_code == 201
    assert first.get_json()["attendee"]["id"] == again.get_json()["attendee"]["id"]
    assert again.get_json()["replayed"] is True
    walk_ins = attendees.all_attendees(loaded, status="walk-in")
    assert [a.first_name for a in walk_ins] == ["Lotte"]
    assert local_time(movements.first_checkin(loaded, walk_ins[0].id), event) == "09:11"


def test_a_person_found_by_name_on_the_roster_is_checked_in_by_id(as_station, loaded, zoe):
    desk = as_station("reception")
    body = desk("/api/scans", json={"attendee_id": zoe.id, "offline": True,
                                    "client_time": iso("09:12"), "scan_id": "n-1"}).get_json()
    assert body["result"] == "checked_in" and body["attendee"]["id"] == zoe.id
    assert desk("/api/scans", json={"attendee_id": 99999}).status_code == 404
    assert desk("/api/scans", json={"attendee_id": "1"}).status_code == 400
