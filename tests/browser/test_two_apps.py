"""Apps made one after another in one process (as in these tests): an older app's pushes
never reach the newer app's screens. (Flask-SocketIO serves one app per process; an old
app's broadcaster once emitted through the newest app's server, showing a stale count.)"""

from __future__ import annotations

import socketio

from kiosk.checkin import auth, scans
from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees, connect
from kiosk.web import live
from tests.clocks import pinned
from tests.conftest import SAMPLE


def load(server, scanned: int) -> str:
    app, event = server.app, server.app.extensions["kiosk.event"]
    with connect(app.config["DATABASE"]) as db:
        import_registrations(db, event, SAMPLE.read_bytes(), SAMPLE.name)
        for person in attendees.all_attendees(db)[:scanned]:
            scans.scan(db, event, scans.Scan(person.badge_code, "onthaal"), pinned())
        return auth.create_station(db, event, "caterer", "Keuken")[1]


def test_an_older_app_does_not_push_into_a_newer_apps_screens(live_server_factory, tmp_path):
    older = live_server_factory(DATABASE=str(tmp_path / "older.db"))
    load(older, scanned=3)
    newer = live_server_factory(DATABASE=str(tmp_path / "newer.db"))
    token = load(newer, scanned=1)
    seen: list[dict] = []
    client = socketio.Client(reconnection=False)
    client.on("headcounts", lambda data: seen.append(data), namespace="/live")
    client.connect(newer.url, namespaces=["/live"], auth={"token": token},
                   transports=["websocket"], wait_timeout=5)
    try:
        older.app.extensions["kiosk.web.live"].audiences["caterer"] = ("caterer", None)
        live.changed(older.app)  # the older app pushes its own count of 3
        live.changed(newer.app)
        client.sleep(1.0)
        assert seen and {s["totals"]["arrived"] for s in seen} == {1}
    finally:
        client.disconnect()
