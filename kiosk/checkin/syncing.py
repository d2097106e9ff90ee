"""What the organiser sees of offline stations: per station how many scans came late from
its outbox and when the last one arrived, and the late scans flagged for a look (a
registration cancelled while the station was offline)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store import flags, movements


@dataclass(frozen=True)
class StationSync:
    offline_scans: int = 0
    last_synced: str | None = None  # stored stamp of the last late scan's arrival
    flagged: int = 0


def by_station(db: Database) -> dict[int | None, StationSync]:
    late = movements.offline_by_station(db)
    flagged = flags.count_by_station(db)
    return {station: StationSync(late.get(station, {}).get("scans", 0),
                                 late.get(station, {}).get("last_synced"),
                                 flagged.get(station, 0))
            for station in set(late) | set(flagged)}


def flagged_scans(db: Database) -> list[dict]:
    """The flagged late scans, oldest first, with the person's and the station's name."""
    return flags.all_flags(db)
