"""Forecasting the final lunch and tapas headcount from the arrival curve so far.

The model is one a caterer can check on the back of an envelope:

- People arrive in a rush around the opening of the reception: an S-shaped (logistic)
  curve. Before the rush has peaked we assume the usual one (its middle 5 minutes after
  opening, `arrived_share`); once the arrivals so far show the peak, we fit the curve to
  them (`fit_curve`): when the rush peaks, how spread out it is, and how many will come.
- Each registrant comes with a show-up rate. Before the peak we assume the usual rate for
  a free invitation-only day (`PRIOR_SHOW_UP`); after it, the fitted total tells it.
- Somebody registered who has not arrived yet still comes with probability
  s(1 - F) / (1 - sF), where s is the show-up rate and F the share of arrivals that is
  normally in by now. Expected = arrived + not-yet-arrived x that probability.
- For the tapas at the end of the day, some leave early: those who checked out are not
  counted, and of the rest we expect `PRIOR_STAY` to stay, or the rate observed at the exit.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from kiosk.event import Catering, Event

PRIOR_SHOW_UP = 0.90
PRIOR_STAY = 0.85  # share of those on site in the afternoon who stay for the networking
STAY_OBSERVED_MINUTES = 30  # before the networking: from then on, who is here is the count
CURVE_DELAY_MIN = 5.0  # the middle of the arrival rush, minutes after the reception opens
CURVE_WIDTH_MIN = 7.0  # how spread out the rush is
TRUST_OBSERVED_FROM = 0.5  # share of arrivals after which the observed show-up rate is used
LATE_SHARE = 0.04  # of those who come, the share that comes well after the rush...
LATE_FROM_MIN, LATE_UNTIL_MIN = 45.0, 150.0  # ...spread over this time after the opening
MIN_ARRIVALS_TO_FIT = 20


def _logistic(minutes: float, middle: float, width: float) -> float:
    """The share of arrivals in by `minutes` after the opening: the rush (logistic), and
    the few late comers, who trickle in over the rest of the morning."""
    rush = 1 / (1 + math.exp(-(minutes - middle) / width))
    late = min(1.0, max(0.0, (minutes - LATE_FROM_MIN) / (LATE_UNTIL_MIN - LATE_FROM_MIN)))
    return (1 - LATE_SHARE) * rush + LATE_SHARE * late


def minutes_after_opening(event, moment: dt.datetime) -> float:
    moment = moment.astimezone(event.tz)
    opening = next((s.start for s in event.program if s.kind == "reception"),
                   event.program[0].start)
    start = dt.datetime.combine(moment.date(), opening, tzinfo=event.tz)
    return (moment - start).total_seconds() / 60


def arrived_share(event, moment: dt.datetime, middle: float = CURVE_DELAY_MIN,
                  width: float = CURVE_WIDTH_MIN) -> float:
    """F(t): the share of the day's arrivals that is in by `moment` (logistic)."""
    return _logistic(minutes_after_opening(event, moment), middle, width)


@dataclass(frozen=True)
class Curve:
    middle: float  # minutes after opening when half of the arrivals are in
    width: float
    total: float  # how many will have arrived in the end
    fitted: bool  # False: the usual curve, the rush has not visibly peaked yet


def fit_curve(arrival_minutes: list[float], now_minutes: float) -> Curve:
    """Least squares over a grid: the logistic rush that best explains the arrivals so far.
    Trusted only once the usual middle of the rush has come and the fitted rush is past its
    own middle: before that, a slow start and a small turnout look alike, and the queue
    that the desks scan in their first minutes looks like a rush that already peaked.
    The whole grid at once with numpy (a loop in Python took 20-60 ms with 3,000 arrivals,
    and during the rush the arrivals change before every push)."""
    usual = Curve(CURVE_DELAY_MIN, CURVE_WIDTH_MIN, 0.0, False)
    if len(arrival_minutes) < MIN_ARRIVALS_TO_FIT or now_minutes < CURVE_DELAY_MIN:
        return usual
    times = np.sort(np.asarray(arrival_minutes, dtype=float))
    samples = times[0] + np.arange(int(now_minutes - times[0]) + 1)
    counts = np.searchsorted(times, samples, side="right").astype(float)
    shares = _logistic_grid(float(times[0]), len(samples))  # (middles x widths, samples)
    totals = shares @ counts / np.einsum("ij,ij->i", shares, shares)
    errors = ((counts - totals[:, None] * shares) ** 2).sum(axis=1)
    best = int(np.argmin(errors))  # the first of equals, as the loop took
    middle, width = _GRID[best]
    curve = Curve(float(middle), float(width), float(totals[best]), True)
    if _logistic(now_minutes, curve.middle, curve.width) < TRUST_OBSERVED_FROM:
        return usual
    return curve


_GRID = [(middle, width) for middle in range(-20, 41) for width in (4, 5, 6, 7, 8, 10, 12, 14)]


@lru_cache(maxsize=8)
def _logistic_grid(start: float, count: int) -> np.ndarray:
    """`_logistic` for every (middle, width) of the grid at each minute from `start`
    (cached: the first arrival rarely changes, and a minute adds only one column)."""
    samples = start + np.arange(count)
    middles = np.array([m for m, _ in _GRID], dtype=float)[:, None]
    widths = np.array([w for _, w in _GRID], dtype=float)[:, None]
    rush = 1 / (1 + np.exp(-(samples[None, :] - middles) / widths))
    late = np.clip((samples - LATE_FROM_MIN) / (LATE_UNTIL_MIN - LATE_FROM_MIN), 0.0, 1.0)
    return (1 - LATE_SHARE) * rush + LATE_SHARE * late[None, :]


def show_up_rate(arrived: int, registered: int, share: float) -> float:
    """s: the prior early on, the observed rate once half the arrivals should be in."""
    if registered == 0 or share < TRUST_OBSERVED_FROM:
        return PRIOR_SHOW_UP
    return min(1.0, arrived / registered / share)


def expected_final(arrived: int, registered: int, share: float, rate: float) -> float:
    """arrived + those not yet in, each still coming with probability s(1-F)/(1-sF)."""
    waiting = max(registered - arrived, 0)
    still_coming = rate * (1 - share) / (1 - rate * share) if rate * share < 1 else 0.0
    return arrived + waiting * still_coming


@dataclass(frozen=True)
class Arrivals:
    """What the forecast needs to know of the day so far, as plain data."""

    event: Event
    now: dt.datetime  # the event clock's time
    first_in: Mapping[int, str]  # person id -> their first check-in (UTC ISO 8601)
    on_site: Collection[int]  # ids of those on site now
    expected: int  # everyone expected: registered and walk-ins (not the cancelled)
    arrived: int  # of those, how many checked in

    @property
    def started(self) -> bool:
        """Has anyone checked in? With nobody in at all the day has not happened (yet)."""
        return self.arrived > 0


def for_moment(day: Arrivals, moment: Catering, registered: Collection[int]) -> dict:
    """The forecast for one catering moment (`registered`: the ids of who registered for
    it), with the reasoning in words. Once the moment is over it says how many came;
    before anyone arrived, it is the usual turnout (not zero: an empty log at 10:00 says
    more about the stations than about the guests)."""
    arrived = [pid for pid in registered if pid in day.first_in]
    gone = sum(1 for pid in arrived if pid not in day.on_site)
    return moment_forecast(day, day_curve(day), moment, len(registered), len(arrived), gone)


def moment_forecast(day: Arrivals, curve: Curve, moment: Catering, registered: int,
                    arrived: int, gone: int) -> dict:
    """`for_moment` from counts: how many registered for the moment, how many of them
    arrived, and how many of those went home again (kept by kiosk.headcounts.tallies)."""
    share = arrived_share(day.event, day.now, curve.middle, curve.width)
    rate = show_up_rate(day.arrived, day.expected, share) if day.started else PRIOR_SHOW_UP
    # The evening before the event says the usual turnout, not "over, nobody came".
    over = day.started and day.now.time() >= day.event.catering_end(moment.id)
    final, stay = _final(day, moment, registered, arrived, gone, share, rate, over)
    value = max(0, round(final))
    return {
        "expected": value,
        "arrived": arrived,
        "registered": registered,
        "show_up_rate": round(rate, 3),
        "arrived_share": round(share, 3),
        "stay_rate": round(stay, 3),
        "curve_middle": _clock(day.event, curve.middle),
        "curve_fitted": curve.fitted,
        "over": over,
        "explanation": _words(day, arrived, registered, share, rate, stay, value,
                              over, curve.fitted),
    }


def _final(day: Arrivals, moment: Catering, registered: int, arrived: int, gone: int,
           share: float, rate: float, over: bool) -> tuple[float, float]:
    """(expected final count, share staying for a networking moment)."""
    if over:
        return arrived, 1.0
    if day.started:
        final = expected_final(arrived, registered, share, rate)
    else:
        final = registered * PRIOR_SHOW_UP
    location = day.event.location(moment.location) if moment.location else None
    if location is None or location.kind != "networking":
        return final, 1.0
    final -= gone  # gone home already
    stay = _stay_rate(day, moment, arrived)
    return final * stay, stay


def _words(day: Arrivals, arrived: int, registered: int, share: float, rate: float,
           stay: float, value: int, over: bool, fitted: bool) -> str:
    if over:
        return (f"Afgelopen. {arrived} van de {registered} ingeschrevenen waren vandaag "
                f"aanwezig.")
    if not day.started:
        staying = f", en {stay:.0%} die blijft voor het netwerkmoment," if stay < 1 else ""
        return (f"Nog niemand aangemeld. Met de gebruikelijke opkomst "
                f"({PRIOR_SHOW_UP:.0%}){staying} verwacht: {value}.")
    return _explain(arrived, registered, share, rate, stay, value, fitted)


def day_curve(day: Arrivals) -> Curve:
    """The arrival curve of this day so far (cached: a snapshot asks once per moment)."""
    return curve_of(day, tuple(sorted(arrival_minutes(day.event, s)
                                      for s in day.first_in.values())))


def arrival_minutes(event: Event, stamp: str) -> float:
    """A first check-in (UTC ISO 8601) as minutes after the reception opened."""
    return minutes_after_opening(event, dt.datetime.fromisoformat(stamp))


def curve_of(day: Arrivals, minutes: tuple[float, ...]) -> Curve:
    """The curve fitted to these arrival times (sorted minutes after opening)."""
    return _cached_fit(minutes, round(minutes_after_opening(day.event, day.now), 1))


@lru_cache(maxsize=64)
def _cached_fit(arrivals: tuple[float, ...], now_minutes: float) -> Curve:
    return fit_curve(list(arrivals), now_minutes)


def _clock(event: Event, minutes: float) -> str:
    opening = next((s.start for s in event.program if s.kind == "reception"),
                   event.program[0].start)
    moment = dt.datetime.combine(event.date, opening) + dt.timedelta(minutes=minutes)
    return moment.strftime("%H:%M")


def _stay_rate(day: Arrivals, moment: Catering, arrived: int) -> float:
    """Of those who came, how many stay for the networking: the prior until half an hour
    before it starts; from then on, those still here are the count (the checked-out are
    already subtracted)."""
    almost = (dt.datetime.combine(day.event.date, moment.start) -
              dt.timedelta(minutes=STAY_OBSERVED_MINUTES)).time()
    if day.now.time() < almost or not arrived:
        return PRIOR_STAY
    return 1.0


def _explain(arrived: int, registered: int, share: float, rate: float, stay: float,
             value: int, fitted: bool) -> str:
    pattern = "de aankomsten van vandaag" if fitted else "het gewone aankomstpatroon"
    text = (f"{arrived} van {registered} ingeschrevenen zijn binnen. Volgens {pattern} "
            f"is nu {share:.0%} van de aankomsten gebeurd; opkomst {rate:.0%}")
    measured = share >= TRUST_OBSERVED_FROM
    text += " (gemeten)." if measured else " (gebruikelijk; nog te vroeg om te meten)."
    if stay < 1:
        text += f" Voor het netwerkmoment blijft naar verwachting {stay:.0%}."
    return text + f" Verwacht: {value}."
