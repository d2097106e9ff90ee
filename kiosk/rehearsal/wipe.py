"""Rehearsals: what a rehearsal clock leaves behind, and wiping it.

Scans made on a rehearsal clock are marked in the movement log, and so are the walk-ins
registered during one (kiosk.checkin.scans, kiosk.checkin.walkin). Wiping a rehearsal
removes exactly those; registrations, badge codes, printed badges and real check-ins stay
as they were.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.clock import real_now, stamp
from kiosk.rehearsal.plan import STATION_PREFIX
from kiosk.store import attendees as attendee_store
from kiosk.store import movements, stations, transaction


@dataclass(frozen=True)
class Wiped:
    movements: int  # scans, exits and undos removed from the log
    walk_ins: int  # walk-ins of the rehearsal removed
    stations: int = 0  # simulator stations left behind, revoked


def rehearsals(db: Database, *, simulator_stations: bool = False) -> Wiped:
    """Remove everything a rehearsal left, in one transaction. With `simulator_stations`,
    also revoke the simulator's stations that are still active (a simulator stopped
    together with its server could not revoke them itself); not while one is running."""
    with transaction(db):
        moved = movements.delete_rehearsal(db)
        walk_ins = attendee_store.delete_rehearsal_walk_ins(db)
        revoked = stations.revoke_named(db, STATION_PREFIX, stamp(real_now())) \
            if simulator_stations else 0
    return Wiped(moved, walk_ins, revoked)
