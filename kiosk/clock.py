"""The event clock: what time it is on the event day, for the whole service.

On the day the clock is the real one. For a rehearsal (`serve|demo --clock 09:40 --speed
20`, or KIOSK_CLOCK / KIOSK_SPEED) it starts at an event time and runs `speed` event
seconds per real second, so the organiser can show the caterer on Monday what the kitchen
screen does at 12:15 on Tuesday. Everything that depends on the moment of the day (the
meal the kitchen shows, the block a host sees, the forecast, the time a scan is recorded
at) asks this clock, never `datetime.now()`: `tests/test_clock.py` checks that this is the
only module of `kiosk/` that reads the wall clock.

Two readings:
- `EventClock.now()`: the event time (a rehearsal time in a rehearsal);
- `real_now()`: the wall clock, for facts about the real world that a rehearsal does not
  move: when a tablet was last in contact, when a file was imported, how long a TLS
  certificate is valid.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

MAX_SPEED = 10_000.0
_BARE_TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")


class ClockError(ValueError):
    """A rehearsal clock was asked for with a time or speed that makes no sense."""


def real_now() -> dt.datetime:
    """The wall clock, in UTC (aware)."""
    return dt.datetime.now(dt.UTC)


def stamp(moment: dt.datetime) -> str:
    """A moment as the database stores it: ISO 8601 in UTC with milliseconds (sorts as
    text)."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


def parse_time(text: str, date: dt.date, tz: ZoneInfo) -> dt.datetime:
    """'09:40' (that time on the event's date), '2023-05-23T09:40' (in the event's time
    zone) or an ISO 8601 time with an offset, as an aware datetime."""
    text = (text or "").strip()
    try:
        if _BARE_TIME.match(text):
            return dt.datetime.combine(date, dt.time.fromisoformat(text.zfill(5)), tzinfo=tz)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ClockError(f"{text!r} is geen tijdstip: schrijf 09:40 of 2023-05-23T09:40") \
            from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def parse_speed(value: float | str | None) -> float:
    """A speed between 0 (the clock stands still) and MAX_SPEED; 1 when not given."""
    if value is None or value == "":
        return 1.0
    try:
        speed = float(value)
    except (TypeError, ValueError):
        raise ClockError(f"snelheid {value!r} is geen getal") from None
    if not 0 <= speed <= MAX_SPEED:  # also refuses NaN
        raise ClockError(f"snelheid {value!r} ligt niet tussen 0 en {MAX_SPEED:g}")
    return speed


@dataclass(frozen=True)
class _Setting:
    start: dt.datetime | None  # the event time at `anchor`; None: the real clock
    speed: float
    anchor: float  # time.monotonic() when `start` held
    anchor_wall: dt.datetime  # the wall clock at the same moment


class EventClock:
    """The service's clock: real, or a rehearsal clock that can be set while it runs.

    Elapsed time is measured on the monotonic clock, so a rehearsal does not jump when the
    machine's clock is corrected. Setting it is atomic (one attribute), so readers need no
    lock; `set` takes one only to keep two setters from interleaving.
    """

    def __init__(self, tz: ZoneInfo, start: dt.datetime | None = None, speed: float = 1.0):
        self.tz = tz
        self._lock = threading.Lock()
        self._setting = self._make(start, speed)

    @staticmethod
    def _make(start: dt.datetime | None, speed: float) -> _Setting:
        if start is not None and start.tzinfo is None:
            raise ClockError("a rehearsal clock needs an aware start time")
        return _Setting(start, parse_speed(speed) if start is not None else 1.0,
                        time.monotonic(), real_now())

    @classmethod
    def frozen(cls, moment: dt.datetime) -> EventClock:
        """A rehearsal clock that stands still at `moment` (tests, in-process simulations)."""
        return cls(moment.tzinfo, moment, speed=0)  # type: ignore[arg-type]

    @property
    def rehearsal(self) -> bool:
        """True when this is not the real clock: scans are then marked as rehearsal."""
        return self._setting.start is not None

    @property
    def speed(self) -> float:
        return self._setting.speed

    def now(self) -> dt.datetime:
        """The event time now, aware, in the event's time zone."""
        setting = self._setting
        if setting.start is None:
            return real_now().astimezone(self.tz)
        elapsed = (time.monotonic() - setting.anchor) * setting.speed
        return (setting.start + dt.timedelta(seconds=elapsed)).astimezone(self.tz)

    def stamp(self) -> str:
        """`now()` as the database stores it."""
        return stamp(self.now())

    def event_time(self, wall: dt.datetime) -> dt.datetime:
        """The event time that corresponds to a real moment (a tablet's last contact)."""
        setting = self._setting
        if setting.start is None:
            return wall.astimezone(self.tz)
        elapsed = (wall - setting.anchor_wall).total_seconds() * setting.speed
        return (setting.start + dt.timedelta(seconds=elapsed)).astimezone(self.tz)

    def set(self, start: dt.datetime, speed: float | None = None) -> None:
        """Move a rehearsal clock to `start` and run it at `speed` (default: as it ran)."""
        if not self.rehearsal:
            raise ClockError("de echte klok kan niet verzet worden")
        with self._lock:
            self._setting = self._make(start, self.speed if speed is None else speed)

    def describe(self) -> dict:
        """What pages and clients are told: {now, speed, rehearsal}."""
        return {"now": self.now().isoformat(timespec="seconds"), "speed": self.speed,
                "rehearsal": self.rehearsal}


def from_settings(clock: str | EventClock | None, speed: float | str | None, date: dt.date,
                  tz: ZoneInfo) -> EventClock:
    """The clock the settings ask for: a rehearsal clock when `clock` is given (a speed
    alone is an error: it would be ignored silently), else the real one. Tests may hand
    over a clock of their own."""
    if isinstance(clock, EventClock):
        return clock
    if not clock:
        if speed not in (None, "") and parse_speed(speed) != 1:  # KIOSK_SPEED=1.0 is no speed
            raise ClockError("--speed hoort bij --clock: geef ook het starttijdstip")
        return EventClock(tz)
    return EventClock(tz, parse_time(clock, date, tz), parse_speed(speed))
