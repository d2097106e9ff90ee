"""Printers: a badge sent to a real printer, and confirmed (or refused with its words).

Three kinds, one module each, all with the same two steps: `render` turns a badge face
into the bytes that printer understands, `send` hands them over and waits until the
printer says it printed (or what went wrong):

- `cups`: any CUPS or IPP printer (A6, A4 sheets, CR80 cards, labels) as a PDF through
  `lp`; the job is followed in CUPS (`ipptool`) until it is completed, aborted or too late.
- `brother_ql`: Brother QL label printers (62 mm endless and die-cut DK labels) as raster
  instructions made by the brother_ql library, over the network or USB.
- `zpl`: Zebra printers as ZPL (name, bestuur, the QR code as a native QR field), over
  the network (port 9100, with the printer's host status read back) or a device file.

`print_badge(kind, settings, face, event)` does both; `validate(kind, settings)` checks a
printer's settings before they are stored. May import `kiosk.printing`, `kiosk.event`,
`kiosk.registrations.codes`; never the store (callers hand over faces and settings).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.event import Event
from kiosk.printing.face import BadgeFace
from kiosk.printing.printers import brother, cups, zpl
from kiosk.printing.printers.base import PrinterSettingsError, PrintFailed, Sent

DRIVERS = {"cups": cups, "brother_ql": brother, "zpl": zpl}
KINDS = tuple(DRIVERS)

__all__ = ["KINDS", "PrintFailed", "PrinterSettingsError", "Sent", "print_badge", "render",
           "validate"]


def _driver(kind: str):
    if kind not in DRIVERS:
        raise PrinterSettingsError(f"onbekend soort printer {kind!r}; kies uit "
                                   f"{', '.join(KINDS)}")
    return DRIVERS[kind]


def validate(kind: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings, checked and completed with defaults (PrinterSettingsError if not)."""
    return _driver(kind).validate(dict(settings))


def render(kind: str, settings: Mapping[str, Any], face: BadgeFace, event: Event) -> bytes:
    """What would be sent to the printer for this badge (PDF, raster, ZPL)."""
    return _driver(kind).render(validate(kind, settings), face, event)


def print_badge(kind: str, settings: Mapping[str, Any], face: BadgeFace, event: Event,
                title: str = "badge") -> Sent:
    """Render and send one badge; returns once the printer confirmed it (PrintFailed if
    it refused, is unreachable, or did not confirm in time)."""
    driver = _driver(kind)
    checked = driver.validate(dict(settings))
    return driver.send(checked, driver.render(checked, face, event), title)
