"""CUPS: a badge sent to a PDF printer that a CUPS of the test's own creates (cups-pdf);
what CUPS writes is a PDF whose QR code scans once rasterised (pdftoppm, 150 dpi). And a
stopped printer: the job is cancelled in CUPS and fails with the printer's words.

Locally the tests skip without CUPS (or without root); under CI=true they must run.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from PIL import Image

from kiosk.printing import printers
from kiosk.printing.printers import cups
from kiosk.spooler import queue
from kiosk.spooler.worker import Spooler
from kiosk.store import attendees as attendee_store
from kiosk.store import printing as printing_store
from tests import cups_server
from tests.badge_fixtures import decode, page_sizes_mm, person

CODE = "7KQ2M4XPA9Z3B6HC4"


@pytest.fixture(scope="module")
def cupsd():
    why = cups_server.missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {why}", pytrace=False)
        pytest.skip(why)
    server = cups_server.start()
    yield server
    server.stop()


def rasterise(pdf, tmp_path, dpi: int = 150) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    return [Image.open(p) for p in sorted(tmp_path.glob("page*.png"))]


@pytest.mark.parametrize("layout, size", [("a6", (104.8, 147.8)), ("label62x29", (62.1, 29.1))])
def test_a_badge_through_cups_comes_out_as_a_pdf_whose_qr_scans(cupsd, event, tmp_path, layout,
                                                                 size):
    """lp hands the badge's PDF to CUPS; the driver waits until CUPS calls the job
    completed; cups-pdf's output has the layout's page size and its QR code decodes to the
    badge code at 150 dpi."""
    before = set(cupsd.pdfs())
    face = person(first_name="Kaat", last_name="Peeters", bestuur="Lier", badge_code=CODE)
    sent = printers.print_badge("cups", {"queue": cupsd.queue, "server": cupsd.socket,
                                         "layout": layout}, face, event, title="badge 1")
    assert sent.printer_job.startswith(f"{cupsd.queue}-")
    (pdf,) = set(cupsd.pdfs()) - before
    assert page_sizes_mm(pdf) == [pytest.approx(size, abs=0.6)]
    (page,) = rasterise(pdf, tmp_path)
    assert decode(page) == [CODE]


def test_a_stopped_cups_printer_fails_the_job_with_its_words_and_cancels_it(cupsd, event):
    """The printer is stopped ("Papier vastgelopen"): the job waits in CUPS; when the time
    is up it is cancelled there (so a retry can never print it twice) and the failure
    carries the printer's message."""
    cupsd.run("cupsdisable", "-r", "Papier vastgelopen", cupsd.queue)
    settings = {"queue": cupsd.queue, "server": cupsd.socket, "timeout": 2}
    try:
        with pytest.raises(printers.PrintFailed) as failed:
            printers.print_badge("cups", settings, person(badge_code=CODE), event)
    finally:
        cupsd.run("cupsenable", cupsd.queue)
    words = str(failed.value)
    assert "printer gestopt: Papier vastgelopen" in words and "geannuleerd" in words
    job_id = int(words.rsplit(f"{cupsd.queue}-", 1)[1].split(" ")[0])
    assert cups.job_state(cups.validate(settings), job_id)["job-state"] == "canceled"


def test_an_unknown_queue_fails_with_cups_words(cupsd, event):
    """A queue CUPS does not have: lp's own error, at once."""
    with pytest.raises(printers.PrintFailed, match="does not exist|bestaat niet"):
        printers.print_badge("cups", {"queue": "nergens", "server": cupsd.socket},
                             person(badge_code=CODE), event)


def test_the_spooler_prints_a_queue_through_cups_in_order(cupsd, db, db_path, event, loaded):
    """Three badges queued for a CUPS printer: the spooler sends them one by one, each
    confirmed by CUPS, all done, each badge marked printed; three PDFs, in that order."""
    printer = queue.add_printer(db, "PDF", "cups", {"queue": cupsd.queue,
                                                    "server": cupsd.socket})
    people = attendee_store.all_attendees(db)[:3]
    before = set(cupsd.pdfs())
    for person_ in people:
        queue.enqueue(db, printer.id, person_.id)
    spooler = Spooler(db_path, event)
    spooler.claim()
    try:
        assert spooler.drain(printer.id) == 3
    finally:
        spooler.release()
    jobs = sorted(printing_store.jobs(db, printer.id), key=lambda j: j.id)
    assert [j.state for j in jobs] == ["done"] * 3
    assert all(j.printer_job.startswith(cupsd.queue) for j in jobs)
    assert [attendee_store.get(db, p.id).printed_version for p in people] == [1, 1, 1]
    new = [p for p in cupsd.pdfs() if p not in before]
    assert [decode(rasterise_one(p)) for p in new] == [[p.badge_code] for p in people]


def rasterise_one(pdf) -> Image.Image:
    out = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(out)],
                   check=True, timeout=60)
    return Image.open(f"{out}.png")
