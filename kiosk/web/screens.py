"""The live screens: the kitchen's, a room host's and the organiser's overview.

Each page is a template plus a module in static/js/ that connects to Socket.IO /live
(static/js/live.js) and redraws from every `headcounts` snapshot. The page itself carries
the first snapshot (cut for the station's role, exactly as the socket will send it), so it
shows numbers at once, and the event's times the snapshot does not hold.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template, request, url_for

from kiosk.checkin import auth
from kiosk.event import Event, Location
from kiosk.headcounts import snapshots
from kiosk.store.stations import Station
from kiosk.web import live
from kiosk.web.access import current_station, page_requires
from kiosk.web.context import get_clock, get_db, get_event

bp = Blueprint("screens", __name__)

@bp.get("/caterer")
@page_requires("view_catering")
def caterer() -> str:
    """The kitchen screen: on site, lunch and tapas with their forecast, dietary needs."""
    event = get_event()
    config = _config(event, current_station(), moments=_moments(event))
    return render_template("caterer.html", event=event, config=config)


@bp.get("/host")
@page_requires("view_room")
def host() -> str:
    """A room's screen: occupancy against capacity, the session, who is expected.

    A host sees the room of their station; the organiser picks one with ?room=."""
    event, station = get_event(), current_station()
    room = _room(event, station)
    config = _config(
        event,
        station,
        room={"id": room.id, "name": room.name, "capacity": room.capacity, "kind": room.kind},
        blocks=_blocks(event),
        canScan=auth.allowed(station, "scan"),
        rooms=_room_links(event) if station.role == "organiser" else [],
    )
    config["urls"]["scan"] = url_for("api.post_scan")
    if auth.allowed(station, "scan"):  # the door's offline roster: this room's people
        config["urls"]["roster"] = url_for("offline_api.get_roster")
        config["stationId"] = station.id
    if station.role == "organiser":  # watch this room as its host does (names included)
        config["snapshot"] = snapshots.for_role(live.snapshot(get_db(), event, get_clock()),
                                                 "host", room.id)
        config["liveAuth"] = {"room": room.id}
    return render_template("host.html", event=event, config=config, room=room)


@bp.get("/organiser")
@page_requires("view_all")
def organiser() -> str:
    """The organiser's overview of the whole day."""
    event = get_event()
    config = _config(event, current_station(), rooms=_room_links(event))
    return render_template("organiser.html", event=event, config=config)


def _config(event: Event, station: Station, **extra) -> dict:
    """What every screen's script needs: who it is, where to go, the first snapshot."""
    full = live.snapshot(get_db(), event, get_clock())  # off the event loop (kiosk.serving.green)
    links = {"me": url_for("api.me"), "home": url_for("pairing.landing")}
    if auth.allowed(station, "view_all"):
        links.update(
            caterer=url_for("screens.caterer"),
            host=url_for("screens.host"),
            organiser=url_for("screens.organiser"),
            overview=url_for("status.index"),
        )
    return {
        "station": {"name": station.name, "role": station.role, "location": station.location},
        "urls": links,
        "snapshot": snapshots.for_role(full, station.role, station.location),
        **extra,
    }


def _room(event: Event, station: Station) -> Location:
    if station.role == "host":
        return event.location(station.location)
    rooms = _rooms(event)
    wanted = request.args.get("room") or (rooms[0].id if rooms else None)
    if wanted is None or not event.has_location(wanted):
        abort(404, "Onbekende zaal.")
    return event.location(wanted)


def _rooms(event: Event) -> list[Location]:
    """The places a host can watch: work-session rooms first, then the plenary room."""
    return event.locations_of_kind("session") + event.locations_of_kind("plenary")


def _room_links(event: Event) -> list[dict]:
    return [
        {"id": r.id, "name": r.name, "url": url_for("screens.host", room=r.id)}
        for r in _rooms(event)
    ]


def _hhmm(moment: dt.time) -> str:
    return moment.strftime("%H:%M")


def _moments(event: Event) -> list[dict]:
    """The catering moments with when they start and end."""
    return [{"id": m.id, "name": m.name, "start": _hhmm(m.start),
             "end": _hhmm(event.catering_end(m.id))} for m in event.catering]


def _blocks(event: Event) -> list[dict]:
    """The blocks of work sessions with their times, as the program says."""
    result = []
    for block in event.blocks:
        slot = next(
            (s for s in event.program if s.kind == "sessions" and s.block == block.id), None
        )
        result.append(
            {
                "id": block.id,
                "name": block.name,
                "start": _hhmm(slot.start) if slot else None,
                "end": _hhmm(slot.end) if slot else None,
            }
        )
    return result
