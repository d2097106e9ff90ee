"""The scan service: one badge seen at one place becomes one movement, exactly once.

After pretix's check-in model: the log is append-only, a client nonce (`scan_id`) makes a
retry a no-op that answers the same, the outcome is a fixed machine-readable code the
pages turn into words, and each scan is one transaction. Nothing here knows Flask or
Socket.IO: the face tells the live layer after the commit.

Results: `checked_in` (an entry was recorded: arrival at reception, or entering a room),
`checked_out` (an exit was recorded), `already` (nothing to record: already checked in at
reception, already in this room, already gone), `unknown` (not a code of ours: forged,
mistyped, truncated), `cancelled` (a cancelled registration), `undone` (a retry of a scan
that was undone since).

A scan_id is a station's own: the same scan_id from another station is another scan, and
the same scan_id from the same station for another badge or place is a conflict
(ScanConflict, 409). A scan sent late from a station's outbox (`offline`) is placed at
its client time (kiosk.store.movements.happened); when that is before the person's
recorded arrival it becomes their arrival, and a later check-in at another desk is merged
into it (a 'merge' movement points at it: it stops counting, the log keeps both). A late
scan of a registration cancelled meanwhile is kept as a flag for the organiser.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.registrations import codes
from kiosk.store import attendees as attendee_store
from kiosk.store import flags, movements, scans, transaction
from kiosk.store.attendees import Attendee
from kiosk.store.movements import Movement, Place

RESULTS = ("checked_in", "checked_out", "already", "unknown", "cancelled", "undone")
UNDO_RESULTS = ("undone", "already_undone", "not_found", "not_yours")


class ScanError(ValueError):
    """The scan request itself is malformed (the face answers 400 and writes nothing)."""


class ScanConflict(ScanError):
    """This station already used this scan_id for another badge or place (409)."""


@dataclass(frozen=True)
class Scan:
    code: str
    location: str
    scan_id: str | None = None
    direction: str | None = None  # None: 'out' at an exit, 'in' anywhere else
    client_time: str | None = None
    station_id: int | None = None
    offline: bool = False  # sent late from the station's outbox


@dataclass(frozen=True)
class ScanResult:
    result: str
    scan_id: str
    location: str
    attendee: Attendee | None = None
    first_checkin_at: str | None = None  # UTC ISO; for `already` at reception: since when
    movement_id: int | None = None
    replayed: bool = False  # True when the scan_id had been seen: nothing new was written
    flagged: bool = False  # a late scan of a cancelled registration, kept for the organiser

    @property
    def changed(self) -> bool:
        """Did this scan change who is where (so dashboards need an update)?"""
        return self.movement_id is not None and not self.replayed


def validate(scan: Scan, event: Event) -> Scan:
    """Reject what is not a scan at all (ScanError); a wrong code is a result, not an error."""
    if not isinstance(scan.code, str) or not scan.code.strip():
        raise ScanError("code ontbreekt")
    if len(scan.code) > codes.MAX_INPUT:
        raise ScanError(f"code is te lang (meer dan {codes.MAX_INPUT} tekens)")
    if not event.has_location(scan.location):
        raise ScanError(f"onbekende locatie {scan.location!r}")
    if scan.direction not in (None, "in", "out"):
        raise ScanError("direction is 'in' of 'out'")
    if scan.scan_id is not None and (not isinstance(scan.scan_id, str)
                                     or not 1 <= len(scan.scan_id) <= 100):
        raise ScanError("scan_id is een tekst van hoogstens 100 tekens")
    if scan.client_time is not None and (not isinstance(scan.client_time, str)
                                         or len(scan.client_time) > 40):
        raise ScanError("client_time is een tijdstip (ISO 8601)")
    return scan


def scan(db: Database, event: Event, request: Scan, clock: EventClock) -> ScanResult:
    """Record one scan in one transaction and say what it meant. The movement carries the
    clock's event time, and is marked as rehearsal when the clock is a rehearsal's."""
    validate(request, event)
    scan_id = request.scan_id or str(uuid.uuid4())
    code = codes.normalise(request.code)
    with transaction(db):
        found = scans.lookup(db, request.scan_id, code if codes.is_valid(code) else None,
                             request.station_id)
        if found.prior_id is not None:
            prior = movements.by_scan_id(db, scan_id, request.station_id)
            return _replay(db, event, prior, request, found.attendee, scan_id)
        attendee = found.attendee
        if attendee is None:
            return ScanResult("unknown", scan_id, request.location)
        if attendee.status == "cancelled":
            flagged = request.offline and flags.record(
                db, reason="cancelled", attendee_id=attendee.id, station_id=request.station_id,
                scan_id=request.scan_id, location=request.location,
                client_time=request.client_time, recorded_at=clock.stamp(),
                rehearsal=clock.rehearsal)
            return ScanResult("cancelled", scan_id, request.location, attendee,
                              flagged=bool(flagged))
        return _move(db, event, request, scan_id, attendee, found.place, clock)


def _move(db: Database, event: Event, request: Scan, scan_id: str, attendee: Attendee,
          place: Place, clock: EventClock) -> ScanResult:
    location = event.location(request.location)
    direction = _direction(event, request)
    at = clock.stamp()
    when = movements.happened(at, request.client_time, request.offline)
    first, on_site = place.first_in, place.direction == "in"
    here = on_site and place.location == location.id
    if request.offline and direction == "in" and first and when < first:
        return _earlier_arrival(db, request, scan_id, attendee, location.id, at, when, clock)
    # Back at the reception desk while on site: nothing new. After an exit: welcome back.
    if direction == "in" and (here or (location.kind == "reception" and on_site)):
        return ScanResult("already", scan_id, location.id, attendee, first)
    if direction == "out" and not on_site:
        return ScanResult("already", scan_id, location.id, attendee, first)
    movement_id = _insert(db, request, scan_id, attendee.id, location.id, direction, at, when,
                          clock)
    result = "checked_in" if direction == "in" else "checked_out"
    return ScanResult(result, scan_id, location.id, attendee, first or when, movement_id)


def _direction(event: Event, request: Scan) -> str:
    kind = event.location(request.location).kind
    return request.direction or ("out" if kind == "exit" else "in")


def _insert(db: Database, request: Scan, scan_id: str, attendee_id: int, location: str,
            direction: str, at: str, when: str, clock: EventClock) -> int:
    return movements.insert(
        db, attendee_id=attendee_id, location=location, direction=direction,
        recorded_at=at, scan_id=scan_id, station_id=request.station_id,
        client_time=request.client_time, rehearsal=clock.rehearsal, happened_at=when,
        offline=request.offline)


def _earlier_arrival(db: Database, request: Scan, scan_id: str, attendee: Attendee,
                     location: str, at: str, when: str, clock: EventClock) -> ScanResult:
    """An outbox scan made before the person's recorded arrival: it is the arrival. A
    later check-in at a reception desk is merged into it, so the day counts one check-in,
    at the earliest time; a later room entry stays (it happened after)."""
    later = movements.first_entry(db, attendee.id)
    movement_id = _insert(db, request, scan_id, attendee.id, location, "in", at, when, clock)
    if later is not None and later.location == location:
        movements.insert(db, attendee_id=attendee.id, location=later.location,
                         direction="out", kind="merge", recorded_at=at,
                         station_id=request.station_id, undoes=later.id,
                         rehearsal=clock.rehearsal)
    return ScanResult("checked_in", scan_id, location, attendee, when, movement_id)


def _replay(db: Database, event: Event, prior: Movement, request: Scan,
            holder: Attendee | None, scan_id: str) -> ScanResult:
    """The same scan_id again from the same station (a retry after a network hiccup): the
    original answer, or `undone` when it was undone since. The same scan_id for another
    badge, place or direction is not a retry: ScanConflict."""
    direction = _direction(event, request)
    if (holder is None or holder.id != prior.attendee_id or prior.location != request.location
            or (prior.kind == "scan" and prior.direction != direction)):
        raise ScanConflict("deze scan_id werd op deze post al voor een andere scan gebruikt")
    person = attendee_store.get(db, prior.attendee_id)
    first = movements.first_checkin(db, prior.attendee_id)
    if movements.undo_of(db, prior.id) is not None:
        return ScanResult("undone", scan_id, prior.location, person, first, prior.id,
                          replayed=True)
    result = "checked_in" if prior.direction == "in" else "checked_out"
    return ScanResult(result, scan_id, prior.location, person, first or prior.happened_at,
                      prior.id, replayed=True)


@dataclass(frozen=True)
class UndoResult:
    result: str  # one of UNDO_RESULTS
    attendee: Attendee | None = None
    movement_id: int | None = None


def undo(db: Database, scan_id: str, clock: EventClock,
         station_id: int | None = None, *, any_station: bool = False,
         of_station: int | None = None) -> UndoResult:
    """Undo a mistaken scan: an 'undo' movement that points at it (the log keeps both).

    A station undoes only its own scans (`not_yours` for another station's); the organiser
    (`any_station`) may undo any: the one of `of_station`, or the only scan of that id."""
    with transaction(db):
        prior = movements.by_scan_id(db, scan_id, of_station or station_id)
        if prior is None:
            others = movements.all_by_scan_id(db, scan_id)
            if any_station and of_station is None and len(others) == 1:
                prior = others[0]
            elif others and not any_station:
                return UndoResult("not_yours")
            else:
                return UndoResult("not_found")
        attendee = attendee_store.get(db, prior.attendee_id)
        if movements.undo_of(db, prior.id):
            return UndoResult("already_undone", attendee)
        movement_id = movements.insert(
            db, attendee_id=prior.attendee_id, location=prior.location,
            direction="out" if prior.direction == "in" else "in", kind="undo",
            recorded_at=clock.stamp(), station_id=station_id, undoes=prior.id,
            rehearsal=clock.rehearsal)
        return UndoResult("undone", attendee, movement_id)


@dataclass(frozen=True)
class Counts:
    expected: int  # registered + walk-ins
    arrived: int  # checked in at least once (not undone)
    on_site: int  # arrived and not checked out

    def as_dict(self) -> dict[str, int]:
        return {"expected": self.expected, "arrived": self.arrived, "on_site": self.on_site}


def counts(db: Database) -> Counts:
    """The reception's 'aangekomen / verwacht' counter."""
    tally = scans.tally(db)
    return Counts(tally.registered + tally.walk_ins, tally.arrived, tally.on_site)
