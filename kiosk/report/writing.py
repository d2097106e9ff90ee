"""Writing the whole report into a folder: report.html, report.pdf and the data files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.report import charts, exports, figures, html, pdf

Progress = Callable[[int, int], None]
STEPS = 9  # figures, six charts, the two documents (the data files go with the last)


@dataclass(frozen=True)
class Written:
    figures: dict
    files: list[Path]


def write_report(db: Database, event: Event, clock: EventClock, out_dir: str | Path,
                 progress: Progress | None = None) -> Written:
    """Compute (or load, after a purge) the figures, draw the charts, write every file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tell = progress or (lambda _done, _total: None)
    numbers = figures.load(db, event, clock)
    tell(1, STEPS)
    drawn = charts.all_charts(numbers, event, lambda done, _total: tell(1 + done, STEPS))
    (out / "report.html").write_text(html.render(numbers, event, drawn), encoding="utf-8")
    tell(STEPS - 1, STEPS)
    (out / "report.pdf").write_bytes(pdf.render(numbers, event, drawn))
    files = [out / "report.html", out / "report.pdf", *exports.write(db, event, numbers, out)]
    tell(STEPS, STEPS)
    return Written(numbers, files)
