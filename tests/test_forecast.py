"""The lunch and tapas forecast, tested against simulated days whose outcome we know."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from kiosk import forecast, headcounts
from kiosk.demo import demo_csv
from kiosk.importer import import_registrations
from kiosk.simulate import plan_day, play_until


def local(event, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(event.date, dt.time.fromisoformat(hhmm), tzinfo=event.tz)


def lunch_forecast(db, event, moment):
    snapshot = headcounts.snapshot(db, event, moment)
    return next(c for c in snapshot["catering"] if c["id"] == "lunch")["forecast"]


def test_the_arrival_curve_rises_through_the_reception():
    from kiosk.event import load_event

    event = load_event()
    shares = [forecast.arrived_share(event, local(event, t))
              for t in ("08:30", "09:00", "09:15", "09:30", "10:30")]
    assert shares == sorted(shares) and shares[0] < 0.05 and shares[-1] > 0.99


def test_before_anyone_arrives_the_forecast_is_the_usual_show_up(db, event):
    import_registrations(db, event, demo_csv(event), "demo.csv")
    result = lunch_forecast(db, event, local(event, "08:30"))
    assert result["expected"] == round(result["registered"] * forecast.PRIOR_SHOW_UP * (
        1 - result["arrived_share"]) / (1 - forecast.PRIOR_SHOW_UP * result["arrived_share"]))
    assert "nog te vroeg" in result["explanation"]


@pytest.mark.parametrize(("seed", "show_up", "middle", "width"), [
    (1, 0.88, 4, 8), (2, 0.75, 8, 10), (3, 0.95, 0, 6), (4, 0.82, 10, 7),
])
def test_the_lunch_forecast_closes_in_on_the_real_day_as_the_rush_passes(
        db, event, seed, show_up, middle, width):
    """Days with another turnout and another rush than the model's usual one. At 09:20 the
    rush may still be on (within 15 %); from 09:30, long before the caterer decides at
    11:00, within 6 %."""
    import_registrations(db, event, demo_csv(event), "demo.csv")
    day = plan_day(db, event, random.Random(seed), show_up=show_up, rush_middle_min=middle,
                   rush_width_min=width)
    truth = day.final("lunch")
    for moment, tolerance in (("09:20", 0.15), ("09:30", 0.06), ("10:00", 0.06)):
        play_until(db, event, day, local(event, moment))
        predicted = lunch_forecast(db, event, local(event, moment))["expected"]
        assert abs(predicted - truth) <= tolerance * truth, (moment, predicted, truth)


def test_the_tapas_forecast_leaves_out_those_who_left(db, event):
    import_registrations(db, event, demo_csv(event), "demo.csv")
    day = plan_day(db, event, random.Random(7), early_leavers=0.3)
    moment = local(event, "16:20")
    play_until(db, event, day, moment)
    snapshot = headcounts.snapshot(db, event, moment)
    tapas = next(c for c in snapshot["catering"] if c["id"] == "tapas")
    truth = day.staying("tapas", local(event, "16:30"))
    assert tapas["forecast"]["expected"] <= tapas["on_site"]
    assert abs(tapas["forecast"]["expected"] - truth) <= 0.15 * truth + 2
