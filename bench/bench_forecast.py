"""How good is the lunch and tapas forecast on simulated days?

For several seeds and several kinds of day (the simulator's usual day, a slow and thin
one, a fast and full one), plan a day for the demo's registrations (kiosk.rehearsal.plan), play
it in-process up to each moment, and compare the forecast with the day's known final
count. Prints the median and worst absolute error in % per moment.

    .venv/bin/python bench/bench_forecast.py [--seeds 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.clock import EventClock  # noqa: E402
from kiosk.event import load_event  # noqa: E402
from kiosk.headcounts import snapshots  # noqa: E402
from kiosk.registrations.demo import demo_csv  # noqa: E402
from kiosk.registrations.importer import import_registrations  # noqa: E402
from kiosk.rehearsal.plan import Guest, Shape, play_until  # noqa: E402
from kiosk.rehearsal.planning import plan_day  # noqa: E402
from kiosk.store import attendees, connect  # noqa: E402

MOMENTS = ("09:15", "09:30", "10:00", "12:00")
DAYS = {
    "usual": Shape(),
    "slow, thin": Shape(show_up=0.75, rush_middle_min=8, rush_width_min=10),
    "fast, full": Shape(show_up=0.95, rush_middle_min=0, rush_width_min=6),
    "no late comers": Shape(late_comers=0.0),
    "twice the late": Shape(late_comers=0.08),
}


def errors(shape: Shape, seed: int, folder: Path) -> dict[str, tuple[float, float]]:
    """moment -> (lunch error %, tapas error %) for one simulated day."""
    event = load_event()
    db = connect(folder / f"forecast-{seed}-{abs(hash(shape))}.db")
    import_registrations(db, event, demo_csv(event), "demo.csv")
    plan = plan_day([Guest.of(a) for a in attendees.all_attendees(db)], event, seed, shape)
    truth = {"lunch": plan.final("lunch"),
             "tapas": plan.staying("tapas", _at(event, "16:30"))}
    result = {}
    for moment in MOMENTS:
        when = _at(event, moment)
        play_until(db, event, plan, when)
        snapshot = snapshots.snapshot(db, event, EventClock.frozen(when))
        predicted = {c["id"]: c["forecast"]["expected"] for c in snapshot["catering"]}
        result[moment] = tuple(100 * (predicted[k] - truth[k]) / truth[k]
                               for k in ("lunch", "tapas"))
    db.close()
    return result


def _at(event, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(event.date, dt.time.fromisoformat(hhmm), tzinfo=event.tz)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    print(f"forecast error on simulated days: {args.seeds} seeds per kind of day, demo "
          f"registrations (222); signed error in % of the final count, median [worst]")
    header = f"{'day':<16}{'meal':<7}" + "".join(f"{m:>17}" for m in MOMENTS)
    print(header)
    with tempfile.TemporaryDirectory() as tmp:
        for name, shape in DAYS.items():
            runs = [errors(shape, seed, Path(tmp)) for seed in range(1, args.seeds + 1)]
            for index, meal in enumerate(("lunch", "tapas")):
                cells = []
                for moment in MOMENTS:
                    values = [run[moment][index] for run in runs]
                    worst = max(values, key=abs)
                    cells.append(f"{statistics.median(values):+6.1f} [{worst:+6.1f}]")
                print(f"{name:<16}{meal:<7}" + "".join(f"{c:>17}" for c in cells))


if __name__ == "__main__":
    main()
