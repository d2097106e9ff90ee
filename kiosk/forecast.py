"""Forecasting the final lunch and tapas headcount from the arrival curve so far.

The model is one a caterer can check on the back of an envelope:

- People arrive along a typical curve around the start of the reception: by 09:00 about a
  third of those who will come are in, by 09:30 nearly all (`arrived_share`).
- Each registrant comes with a show-up rate. Before much is known we assume the usual rate
  for a free invitation-only day (`PRIOR_SHOW_UP`); once a good part of the arrivals should
  have happened, the rate observed so far takes over.
- Somebody registered who has not arrived yet still comes with probability
  s(1 - F) / (1 - sF), where s is the show-up rate and F the share of arrivals that is
  normally in by now. Expected = arrived + not-yet-arrived x that probability.
- For the tapas at the end of the day, some leave early: those who checked out are not
  counted, and of the rest we expect `PRIOR_STAY` to stay, or the rate observed at the exit.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from kiosk.event import Catering
from kiosk.store.attendees import Attendee

if TYPE_CHECKING:
    from kiosk.headcounts import Day

PRIOR_SHOW_UP = 0.90
PRIOR_STAY = 0.85  # share of those on site at 16:00 who stay for the networking
CURVE_DELAY_MIN = 5.0  # the middle of the arrival rush, minutes after the reception opens
CURVE_WIDTH_MIN = 7.0  # how spread out the rush is
TRUST_OBSERVED_FROM = 0.5  # share of arrivals after which the observed show-up rate is used


def arrived_share(event, moment: dt.datetime) -> float:
    """F(t): the share of the day's arrivals that is normally in by `moment` (logistic)."""
    opening = next((s.start for s in event.program if s.kind == "reception"),
                   event.program[0].start)
    start = dt.datetime.combine(moment.date(), opening, tzinfo=moment.tzinfo)
    minutes = (moment - start).total_seconds() / 60
    return 1 / (1 + math.exp(-(minutes - CURVE_DELAY_MIN) / CURVE_WIDTH_MIN))


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


def for_moment(day: Day, moment: Catering, registered: list[Attendee]) -> dict:
    """The forecast for one catering moment, with the reasoning in words."""
    share = arrived_share(day.event, day.now)
    arrived = [p for p in registered if p.id in day.first_in]
    everyone_arrived = sum(1 for p in day.people if p.id in day.first_in)
    rate = show_up_rate(everyone_arrived, len(day.people), share)
    final = expected_final(len(arrived), len(registered), share, rate)
    stay = 1.0
    if moment.location and day.event.location(moment.location).kind == "networking":
        left = [p for p in arrived if p.id not in day.place]
        final -= len(left)
        stay = _stay_rate(day, arrived)
        final *= stay
    value = max(0, round(final))
    return {
        "expected": value,
        "arrived": len(arrived),
        "registered": len(registered),
        "show_up_rate": round(rate, 3),
        "arrived_share": round(share, 3),
        "stay_rate": round(stay, 3),
        "explanation": _explain(len(arrived), len(registered), share, rate, stay, value),
    }


def _stay_rate(day: Day, arrived: list[Attendee]) -> float:
    """Of those who came, how many are still here: observed after 16:00, the prior before."""
    if day.now.time() < dt.time(16, 0) or not arrived:
        return PRIOR_STAY
    return 1.0  # after 16:00 the checked-out are already subtracted: the rest is the count


def _explain(arrived: int, registered: int, share: float, rate: float, stay: float,
             value: int) -> str:
    text = (f"{arrived} van {registered} ingeschrevenen zijn binnen. Volgens het gewone "
            f"aankomstpatroon is nu {share:.0%} van de aankomsten gebeurd; "
            f"opkomst {rate:.0%}")
    measured = share >= TRUST_OBSERVED_FROM
    text += " (gemeten)." if measured else " (gebruikelijk; nog te vroeg om te meten)."
    if stay < 1:
        text += f" Voor het netwerkmoment blijft naar verwachting {stay:.0%}."
    return text + f" Verwacht: {value}."
