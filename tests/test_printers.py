"""The drivers against printers that answer like real ones (tests/printer_fakes.py): a
Brother QL on the network and over USB, a Zebra on its raw port. What each sends is read
back, and what each printer says comes back as the job's outcome."""

from __future__ import annotations

import pytest

from kiosk.printing import printers
from tests.badge_fixtures import decode, person
from tests.label_checks import analyse_raster, fields, zpl_labels
from tests.printer_fakes import NO_MEDIA, FakeJetDirect, FakeQLOverUSB

CODE = "7KQ2M4XPA9Z3B6HC4"


@pytest.fixture
def face():
    return person(first_name="Kaat", last_name="Peeters", bestuur="Lier", badge_code=CODE)


def test_brother_ql_on_the_network_gets_a_raster_whose_qr_scans(event, face, tmp_path):
    """Over TCP a QL answers nothing; every byte accepted is the confirmation, and what it
    received is a label brother_ql's analyser decodes, QR code and all."""
    with FakeJetDirect() as printer:
        sent = printers.print_badge("brother_ql", {"address": printer.address,
                                                   "label": "62x29"}, face, event)
    assert "netwerk" in sent.detail
    pages, _ = analyse_raster(printer.received, tmp_path)
    assert [decode(p) for p in pages] == [[CODE]]


def test_brother_ql_over_usb_confirms_the_print(event, face, tmp_path):
    """Over USB the QL reports "printing completed" and "waiting to receive": printed."""
    settings = {"label": "62x100", "model": "QL-700"}
    expected = printers.render("brother_ql", dict(settings, address="tcp://x"), face, event)
    with FakeQLOverUSB(len(expected)) as printer:
        sent = printers.print_badge("brother_ql", dict(settings, address=printer.address),
                                    face, event)
    assert sent.detail == "afgedrukt volgens de printer"
    assert printer.received == expected


def test_brother_ql_over_usb_without_labels_fails_with_its_words(event, face):
    """A QL with no labels loaded says so; the job fails with that, in Dutch."""
    settings = {"label": "62x29"}
    expected = printers.render("brother_ql", dict(settings, address="tcp://x"), face, event)
    with FakeQLOverUSB(len(expected), reply=NO_MEDIA) as printer, \
            pytest.raises(printers.PrintFailed, match="geen labels geladen"):
        printers.print_badge("brother_ql", dict(settings, address=printer.address), face,
                             event)


def test_an_unreachable_printer_fails_and_says_where(event, face):
    """Nobody listens at the address: a failure naming it, not a hang."""
    with FakeJetDirect() as printer:
        address = printer.address
    with pytest.raises(printers.PrintFailed, match="onbereikbaar op tcp://127.0.0.1"):
        printers.print_badge("zpl", {"address": address}, face, event)


def test_zebra_gets_zpl_and_confirms_with_its_host_status(event, face):
    """The Zebra receives the label and then ~HS; with no labels left in its buffer and no
    problem flag, the print is confirmed. The label holds the badge code's QR field."""
    with FakeJetDirect(zebra_status={}) as printer:
        sent = printers.print_badge("zpl", {"address": printer.address}, face, event)
    assert "~HS" in sent.detail
    zpl_text, status_request = printer.received.rsplit(b"~HS", 1)[0], b"~HS"
    assert status_request in printer.received
    (label,) = zpl_labels(zpl_text.decode("utf-8"))
    assert [f["text"] for f in fields(label) if "BQ" in f] == [f"QA,{CODE}"]


@pytest.mark.parametrize("flags, words", [({"paper_out": 1}, "papier of labels op"),
                                          ({"head_up": 1}, "printkop staat open"),
                                          ({"paused": 1, "ribbon_out": 1}, "lint is op")])
def test_zebra_problems_fail_the_print_with_the_printers_words(event, face, flags, words):
    """Paper out, head open, ribbon out, paused: the job fails and says which."""
    with FakeJetDirect(zebra_status=flags) as printer, \
            pytest.raises(printers.PrintFailed, match=words):
        printers.print_badge("zpl", {"address": printer.address}, face, event)


def test_zebra_that_never_prints_its_label_fails_after_the_timeout(event, face):
    """A label still waiting in the printer when the time is up: not confirmed, failed."""
    with FakeJetDirect(zebra_status={"formats": 1}) as printer, \
            pytest.raises(printers.PrintFailed, match="niet af binnen 1 s"):
        printers.print_badge("zpl", {"address": printer.address, "timeout": 1}, face, event)
