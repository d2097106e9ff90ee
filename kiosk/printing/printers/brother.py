"""Brother QL label printers: the badge as raster instructions, made by brother_ql.

The library is `brother_ql_next` (imported as `brother_ql`), the maintained fork of
brother_ql (whose last release is from 2019): the same raster language, models and
backends, with new models and fixes. Settings: `address` says how the printer is reached
(`tcp://192.168.1.40:9100` on the network, `usb://0x04f9:0x209b` through pyusb,
`file:///dev/usb/lp0` through Linux' USB printer driver), `model` (QL-820NWB, QL-700, …)
and `label`: `62x29` (DK-11209, the name strip), `62x100` (DK-11202) or `62` (DK-22205,
62 mm endless tape, cut after each badge). The badge is drawn at the printer's 300 dpi
in the label layout of the same size (`label62x29` or `label62x100`), then fitted to the
label's printable dots by trimming the unprintable edge (the layouts keep their ink
inside it), never by scaling: the QR code's modules stay whole pixels.

Over USB the printer reports back: "printing completed" confirms the print, an error
(no labels, cover open, cutter jam) fails the job with the printer's words. Over the
network a QL says nothing back, so "all bytes accepted" is the confirmation there.
"""

from __future__ import annotations

from typing import Any

from PIL import Image

from kiosk.event import Event
from kiosk.printing.badge import render_badge
from kiosk.printing.face import BadgeFace
from kiosk.printing.printers.base import (
    PrinterSettingsError,
    PrintFailed,
    Sent,
    address,
    choice,
    only,
)

LABELS = {"62x29": "label62x29", "62x100": "label62x100", "62": "label62x100"}
KNOWN = ("address", "model", "label", "layout")
DPI = 300
# The printer's words (brother_ql's English) for the reception desk.
ERRORS_NL = {
    "No media when printing": "geen labels geladen",
    "End of media (die-cut size only)": "de labels zijn op",
    "Tape cutter jam": "het snijmes zit vast",
    "Printer turned off": "de printer staat uit",
    "Replace media error": "verkeerde of geen labels: vervang de rol",
    "Cover opened while printing (Except QL-500)": "het deksel ging open tijdens het afdrukken",
    "Media cannot be fed (also when the media end is detected)": "de labels lopen niet door "
                                                                 "(of de rol is op)",
    "Transmission / Communication error": "communicatiefout",
    "System error": "systeemfout van de printer",
}


def models() -> tuple[str, ...]:
    from brother_ql.models import ModelsManager

    return tuple(m.identifier for m in ModelsManager().iter_elements())


def validate(settings: dict[str, Any]) -> dict[str, Any]:
    only(settings, KNOWN)
    label = choice(settings, "label", tuple(LABELS), "62x29")
    layout = choice(settings, "layout", ("label62x100", "label62x29"), LABELS[label])
    if label != "62" and layout != LABELS[label]:
        raise PrinterSettingsError(f"layout {layout} past niet op labels {label} mm")
    return {"address": address(settings, "tcp://192.168.1.40:9100"),
            "model": choice(settings, "model", models(), "QL-820NWB"),
            "label": label, "layout": layout}


def fit(image: Image.Image, width: int, height: int | None) -> Image.Image:
    """Centre `image` on exactly width x height dots (height None: endless, keep it):
    what lies outside is the label's unprintable edge; nothing is scaled."""
    height = height or image.height
    fitted = Image.new("RGB", (width, height), "#ffffff")
    fitted.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
    return fitted


def label_image(settings: dict[str, Any], face: BadgeFace, event: Event) -> Image.Image:
    """The badge as the printer will print it: the label's printable dots, at 300 dpi."""
    from brother_ql.labels import LabelsManager

    spec = LabelsManager()[settings["label"]]
    width, height = spec.dots_printable
    image = render_badge(face, event, size=settings["layout"], dpi=DPI)
    return fit(image, width, height or None)


def render(settings: dict[str, Any], face: BadgeFace, event: Event) -> bytes:
    from brother_ql.conversion import convert
    from brother_ql.raster import BrotherQLRaster

    raster = BrotherQLRaster(settings["model"])
    return bytes(convert(raster, [label_image(settings, face, event)], settings["label"],
                         cut=True, compress=True, rotate=0, dither=False))


def send(settings: dict[str, Any], data: bytes, title: str) -> Sent:
    from brother_ql.backends import guess_backend
    from brother_ql.backends.helpers import send as send_raster

    backend = guess_backend(settings["address"])
    try:
        status = send_raster(data, printer_identifier=settings["address"],
                             backend_identifier=backend, blocking=True)
    except (OSError, ValueError) as exc:
        raise PrintFailed(f"printer onbereikbaar op {settings['address']}: {exc}") from None
    except Exception as exc:  # pyusb raises its own types (no device, no permission)
        raise PrintFailed(f"printer onbereikbaar op {settings['address']}: {exc}") from None
    state = status.get("printer_state") or {}
    if status["outcome"] == "error" or state.get("errors"):
        raise PrintFailed("de printer meldt: " + "; ".join(
            f"{ERRORS_NL.get(e, e)}" for e in state.get("errors", [])))
    if backend == "network":  # a QL on the network answers nothing: accepted is all we get
        return Sent(detail="verstuurd over het netwerk (de printer meldt niets terug)")
    if not status.get("did_print"):
        raise PrintFailed("de printer bevestigde het afdrukken niet: kijk of het label eruit "
                          "kwam voor je opnieuw afdrukt")
    return Sent(detail="afgedrukt volgens de printer")
