"""Printing benchmark: how long one badge takes from the queue to a (stand-in) printer.

Per format, the median of N renders of a fresh badge (what the spooler does before it
sends: the label drawn, then the printer's bytes), and the whole round trip through the
spooler to printers that answer at once (a Brother QL and a Zebra on 127.0.0.1, from
tests/printer_fakes.py), N jobs queued and drained one by one. There is no target: the
desk needs a badge within a few seconds, the printers take longer than this.

    .venv/bin/python bench/bench_printing.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.event import load_event  # noqa: E402
from kiosk.printing import printers  # noqa: E402
from kiosk.printing.face import BadgeFace  # noqa: E402
from kiosk.registrations import codes  # noqa: E402
from kiosk.registrations.demo import demo_csv  # noqa: E402
from kiosk.registrations.importer import import_registrations  # noqa: E402
from kiosk.spooler import queue  # noqa: E402
from kiosk.spooler.worker import Spooler  # noqa: E402
from kiosk.store import attendees as attendee_store  # noqa: E402
from kiosk.store import connect  # noqa: E402
from tests.printer_fakes import FakeJetDirect  # noqa: E402

FORMATS = [("cups", {"queue": "x", "layout": "a6"}, "PDF, A6"),
           ("cups", {"queue": "x", "layout": "label62x100"}, "PDF, 62x100"),
           ("brother_ql", {"address": "tcp://x", "label": "62x29"}, "QL raster, 62x29"),
           ("brother_ql", {"address": "tcp://x", "label": "62x100"}, "QL raster, 62x100"),
           ("zpl", {"address": "tcp://x", "layout": "label62x100"}, "ZPL, 62x100")]


def face(n: int) -> BadgeFace:
    return BadgeFace(f"Voornaam{n}", f"Familienaam {n}", "Sint-Katelijne-Waver", "Adviseur",
                     {"voormiddag": "mobiliteit"}, codes.new_code(), key=n)


def renders(repeat: int) -> None:
    event = load_event()
    print(f"{'format':<20} {'median ms':>10} {'bytes':>9}")
    for kind, settings, label in FORMATS:
        times, size = [], 0
        for n in range(repeat):
            started = time.perf_counter()
            size = len(printers.render(kind, settings, face(n), event))
            times.append((time.perf_counter() - started) * 1000)
        print(f"{label:<20} {statistics.median(times):>10.1f} {size:>9}")


def round_trips(repeat: int) -> None:
    event = load_event()
    with tempfile.TemporaryDirectory() as folder, FakeJetDirect() as ql, \
            FakeJetDirect(zebra_status={}) as zebra:
        path = Path(folder) / "bench.db"
        db = connect(path)
        import_registrations(db, event, demo_csv(event), "demo.csv")
        people = attendee_store.all_attendees(db)[:repeat]
        print(f"\n{'spooler, to':<20} {'jobs':>5} {'per job ms':>11}")
        for name, kind, settings in (("QL 62x29", "brother_ql",
                                      {"address": ql.address, "label": "62x29"}),
                                     ("Zebra 62x100", "zpl",
                                      {"address": zebra.address, "layout": "label62x100"})):
            printer = queue.add_printer(db, name, kind, settings)
            for person in people:
                queue.enqueue(db, printer.id, person.id)
            spooler = Spooler(path, event)
            spooler.claim()
            started = time.perf_counter()
            sent = spooler.drain(printer.id)
            elapsed = (time.perf_counter() - started) * 1000
            spooler.release()
            print(f"{name:<20} {sent:>5} {elapsed / sent:>11.1f}")
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # brother_ql's notes about models without compression
    print(f"{args.repeat} badges per format, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}")
    renders(args.repeat)
    round_trips(args.repeat)


if __name__ == "__main__":
    main()
