"""Socket.IO namespace /live: headcount snapshots pushed to the dashboards.

The protocol, from a client's point of view:
- connect with auth {"token": TOKEN} (or a paired browser session); a wrong or missing
  token is refused;
- right after connecting, one `headcounts` event: the full snapshot for the station's
  role, carrying the current `seq`;
- after committed scans, more `headcounts` events, each a full snapshot with a strictly
  larger `seq`. Under a burst they are coalesced (at most MAX_PER_SECOND per client), and
  the last one is always computed after the last change, so it equals the database;
- a client that reconnects, or sees a gap in `seq`, gets the full picture again (every
  event is a full snapshot; emitting `snapshot` asks for one at once);
- `seq` lives in the server process: after a restart it counts from 0 again, so a client
  forgets the last seq it saw when its connection drops (several workers share one Redis
  counter: kiosk/web/workers.py);
- a revoked station's open connection is closed within HEARTBEAT_SECONDS;
- a client that connects with {"deltas": true} in its auth gets, after its first full
  snapshot of a round, `headcounts_delta` events instead: {"base": seq it applies to,
  "seq", "patch"} (kiosk.headcounts.deltas). One whose snapshot is not `base` emits
  `snapshot` with {"resync": true}: the answer is the full picture, and the next round
  sends it a full snapshot again, from which it follows patches.

Socket.IO delivers at most once and keeps nothing for a disconnected client, hence a
full snapshot on every connect and a sequence number that shows a gap.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app, request, session
from flask_socketio import ConnectionRefusedError

from kiosk.checkin import auth
from kiosk.clock import EventClock
from kiosk.headcounts import deltas, snapshots, tallies
from kiosk.serving import green
from kiosk.store import connect, now, stations
from kiosk.store.stations import Station
from kiosk.web import flood, workers
from kiosk.web.context import get_clock, get_db, get_event

NAMESPACE = "/live"
EVENT = "headcounts"
DELTA_EVENT = "headcounts_delta"  # for screens that asked for them (kiosk.headcounts.deltas)
MAX_PER_SECOND = 4
HEARTBEAT_SECONDS = 30  # the clock, the forecast and station status move without scans
HEARTBEAT_EVENT_SECONDS = 60  # on a fast rehearsal clock: a round per event minute...
MIN_HEARTBEAT_SECONDS = 1.0  # ...but not more than one a second
ROLES_WITH_VIEW = ("organiser", "caterer", "host", "reception")


def changed(app: Flask) -> None:
    """A committed change altered who is where: dashboards need a fresh snapshot."""
    broadcaster = app.extensions.get("kiosk.web.live")
    if broadcaster is not None:
        broadcaster.changed()


def revoked(app: Flask, station_id: int) -> None:
    """Close a revoked station's open connections now (the heartbeat catches revocations
    made from the command line, within HEARTBEAT_SECONDS)."""
    broadcaster = app.extensions.get("kiosk.web.live")
    if broadcaster is not None:
        broadcaster.revoke(station_id)


def snapshot(db, event, clock: EventClock, people_for=None) -> dict:
    """The full snapshot from the kept counts (kiosk.headcounts.tallies: < 1 ms at 10,000
    attendees), with the name lists of the rooms in `people_for` (all when None). In a
    real thread on the gevent server: the first one reads everyone (kiosk.serving.green)."""
    return green.offload(tallies.snapshot, db, event, clock, people_for)


def heartbeat(clock: EventClock) -> float:
    """Seconds between rounds when nothing is scanned: the clock moves the screens too
    (the next meal, the block on now, the forecast), faster in a fast rehearsal."""
    if clock.speed <= 1:
        return HEARTBEAT_SECONDS
    return max(MIN_HEARTBEAT_SECONDS, min(HEARTBEAT_SECONDS,
                                          HEARTBEAT_EVENT_SECONDS / clock.speed))


def view_of(station: Station, auth_payload, event) -> tuple[str, str | None]:
    """(role, location) of what this connection watches: its own role's view, or, for an
    organiser who asks with {"room": id}, that room as its host sees it."""
    room = auth_payload.get("room") if isinstance(auth_payload, dict) else None
    if station.role == "organiser" and isinstance(room, str) and event.has_location(room):
        return "host", room
    return station.role, station.location


def audience(view: tuple[str, str | None]) -> str:
    """The Socket.IO room a view listens in: one per role, one per watched room."""
    role, location = view
    return f"host:{location}" if role == "host" else role


class Broadcaster:
    """Turns 'something changed' signals into coalesced, sequenced snapshot emits.

    One background task computes the snapshot once per round (on its own database
    connection, after the commit that signalled it) and emits each audience its cut.
    `lock` orders rounds and connects, so each client's seq only ever goes up.
    """

    def __init__(self, app: Flask, server):
        self.app, self.server = app, server  # this app's python-socketio Server
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.seq = 0
        self.last_full: dict | None = None  # the latest round's snapshot, for new clients
        self.audiences: dict[str, tuple[str, str | None]] = {}  # room -> (role, location)
        self.connected: dict[str, int] = {}  # socket id -> station id, for "last contact"
        self.touched_at = 0.0
        # Deltas: each room's last broadcast (seq, payload), and the screens that asked for
        # deltas but hold no broadcast yet (welcomed since): a full one first, then patches.
        self.sent: dict[str, tuple[int, dict]] = {}
        self.joining: dict[str, set[str]] = {}
        self.started = False
        self.start_lock = threading.Lock()
        # Several workers (kiosk.web.workers): signals and the seq go through Redis.
        self.peers = server.manager if isinstance(server.manager, workers.WorkersManager) \
            else None
        if self.peers is not None:
            self.peers.on_signal = self._on_signal

    def changed(self) -> None:
        if self.peers is not None:  # every worker runs a round for its own screens
            self.peers.signal("changed")
        else:
            self.wake_up()

    def revoke(self, station_id: int) -> None:
        if self.peers is not None:  # whichever worker holds its screens closes them
            self.peers.signal("revoked", station_id)
        else:
            self.disconnect_station(station_id)

    def _on_signal(self, name: str, data) -> None:
        if name == "changed":
            self.wake_up()
        elif name == "revoked" and isinstance(data, int):
            self.disconnect_station(data)

    def wake_up(self) -> None:
        self.wake.set()
        self._ensure_started()

    def next_seq(self) -> int:
        """One more than any seq sent before, by this worker or (with peers) any other.
        Never below this worker's own: Redis may have restarted, or be unreachable."""
        if self.peers is None:
            return self.seq + 1
        try:
            return max(self.peers.next_seq(), self.seq + 1)
        except Exception:  # noqa: BLE001 - the screens of this worker still get their round
            self.app.logger.exception("no seq from the message queue")
            return self.seq + 1

    def _ensure_started(self) -> None:
        with self.start_lock:
            if not self.started:
                self.started = True
                self.server.start_background_task(self._run)

    def _run(self) -> None:
        db = connect(self.app.config["DATABASE"], migrate=False)
        event = self.app.extensions["kiosk.event"]
        while True:
            self.wake.wait(timeout=heartbeat(self.clock))
            self.wake.clear()  # a change after this point triggers another round
            started = time.monotonic()
            try:
                self._mark_connected(db)
                self._round(db, event)
            except Exception:  # keep pushing after a bad round; the next one repairs it
                self.app.logger.exception("headcounts round failed")
            time.sleep(max(0.0, 1 / MAX_PER_SECOND - (time.monotonic() - started)))

    def _mark_connected(self, db) -> None:
        """A screen that is connected is in contact, even when nobody scans (written at
        most every 20 s: this is a write, and scans come first). A revoked station's
        connection is closed here too, also when it was revoked from the command line."""
        if time.monotonic() - self.touched_at < 20:
            return
        self.touched_at = time.monotonic()
        connected = dict(self.connected)
        active = {s.id for s in stations.all_stations(db) if s.active}
        for station_id in set(connected.values()) - active:
            self.disconnect_station(station_id)
        stations.touch_many(db, sorted(set(connected.values()) & active), now())

    @property
    def clock(self) -> EventClock:
        return self.app.extensions["kiosk.clock"]  # looked up: `serve --clock` replaces it

    def disconnect_station(self, station_id: int) -> None:
        for sid, owner in list(self.connected.items()):
            if owner == station_id:
                self.connected.pop(sid, None)
                self.server.disconnect(sid, namespace=NAMESPACE)

    def _round(self, db, event) -> None:
        if not self.audiences:
            return
        hosts = {location for role, location in list(self.audiences.values()) if role == "host"}
        full = snapshot(db, event, self.clock, hosts)
        with self.lock:
            self.seq = self.next_seq()
            self.last_full = full
            for room, (role, location) in list(self.audiences.items()):
                payload = dict(snapshots.for_role(full, role, location), seq=self.seq)
                # This worker's screens only: the others run their own round.
                self.server.emit(EVENT, payload, to=room, namespace=NAMESPACE,
                                 ignore_queue=True)
                self._push_delta(room, payload)

    def _push_delta(self, room: str, payload: dict) -> None:
        """The patch from this room's last broadcast to `payload`, to the screens holding
        that broadcast; the screens that have just had their first go over to patches."""
        previous, self.sent[room] = self.sent.get(room), (self.seq, payload)
        if previous is not None:
            self.server.emit(DELTA_EVENT, {"base": previous[0], "seq": self.seq,
                                           "patch": deltas.diff(previous[1], payload)},
                             to=room + "+delta", namespace=NAMESPACE, ignore_queue=True)
        for sid in self.joining.pop(room, set()):
            self.server.leave_room(sid, room, namespace=NAMESPACE)
            self.server.enter_room(sid, room + "+delta", namespace=NAMESPACE)

    def resync(self, sid: str, view: tuple[str, str | None]) -> None:
        """A screen lost track of the patches: full snapshots again until the next round."""
        room = audience(view)
        with self.lock:
            self.server.leave_room(sid, room + "+delta", namespace=NAMESPACE)
            self.server.enter_room(sid, room, namespace=NAMESPACE)
            self.joining.setdefault(room, set()).add(sid)

    def welcome(self, view: tuple[str, str | None], db, event, wants_deltas=False) -> None:
        """Send a new client its snapshot, then let it into its room, in one step."""
        with self.lock:
            # The latest round's snapshot when nothing changed since (a hundred screens
            # reconnecting after a Wi-Fi drop should not compute a hundred snapshots).
            fresh = self.last_full is not None and not self.wake.is_set() and (
                view[0] != "host" or _has_people(self.last_full, view[1]))
            full = self.last_full if fresh else snapshot(db, event, self.clock)
            if fresh:  # the counts are current; the time must be too
                full = dict(full, **snapshots.clock_fields(self.clock.now(), self.clock))
            if self.peers is not None:  # above whatever another worker sent this screen
                self.seq = self.next_seq()
            payload = dict(snapshots.for_role(full, *view), seq=self.seq)
            self.server.emit(EVENT, payload, to=request.sid, namespace=NAMESPACE,
                             ignore_queue=True)
            room = audience(view)
            self.audiences[room] = view
            self.server.enter_room(request.sid, room, namespace=NAMESPACE)
            if wants_deltas:
                self.joining.setdefault(room, set()).add(request.sid)


def _has_people(full: dict, room: str | None) -> bool:
    """Does this snapshot carry the name lists of `room` (made only for watched rooms)?"""
    return all("people" in r for r in full["rooms"] if r["room"] == room)


def init_app(app: Flask, socketio) -> None:
    """Give this app its broadcaster, bound to the Socket.IO server that init_app just made
    for it. Flask-SocketIO keeps one `socketio` object whose `.server` is replaced by each
    init_app: several apps in one process (the tests) must each talk to their own."""
    app.extensions["kiosk.web.live"] = Broadcaster(app, socketio.server)
    limits = flood.guard(socketio.server, NAMESPACE)  # per connection (kiosk.web.flood)
    # With a server in place, socketio.on registers on that server only (this app's).
    socketio.on("connect", namespace=NAMESPACE)(_on_connect)
    socketio.on("disconnect", namespace=NAMESPACE)(_on_disconnect)
    socketio.on("snapshot", namespace=NAMESPACE)(limits.one_at_a_time(_on_snapshot))


def _broadcaster() -> Broadcaster:
    return current_app.extensions["kiosk.web.live"]


def _station_for(auth_payload) -> Station | None:
    token = auth_payload.get("token") if isinstance(auth_payload, dict) else None
    if isinstance(token, str):
        return auth.authenticate(get_db(), token)
    station_id = session.get("station_id")
    return auth.station_by_id(get_db(), station_id) if isinstance(station_id, int) else None


def _on_connect(auth_payload=None):
    station = _station_for(auth_payload)
    if station is None or station.role not in ROLES_WITH_VIEW:
        raise ConnectionRefusedError("unauthorised")
    view = view_of(station, auth_payload, get_event())
    session["live_station"], session["live_view"] = station.id, list(view)
    broadcaster = _broadcaster()
    broadcaster.connected[request.sid] = station.id
    wants_deltas = isinstance(auth_payload, dict) and auth_payload.get("deltas") is True
    broadcaster.welcome(view, get_db(), get_event(), wants_deltas)
    broadcaster._ensure_started()


def _on_disconnect(*_args):
    broadcaster = _broadcaster()
    broadcaster.connected.pop(request.sid, None)
    with broadcaster.lock:
        for waiting in broadcaster.joining.values():
            waiting.discard(request.sid)


def _on_snapshot(data=None):
    """A client that saw a gap asks for the full picture again ({"resync": true}: and
    full snapshots until it holds a broadcast again, when it follows patches)."""
    station = auth.station_by_id(get_db(), session.get("live_station") or -1)
    if station is None:
        return {"error": "unauthorised"}
    if isinstance(data, dict) and data.get("resync") is True:
        _broadcaster().resync(request.sid, tuple(session.get("live_view") or
                                                 (station.role, station.location)))
    full = snapshot(get_db(), get_event(), get_clock())
    role, location = session.get("live_view") or (station.role, station.location)
    broadcaster = _broadcaster()
    with broadcaster.lock:
        return dict(snapshots.for_role(full, role, location), seq=broadcaster.seq)
