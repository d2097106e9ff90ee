"""Zebra printers: the badge as ZPL, with the QR code as the printer's own QR field.

The label is drawn from the same template as every badge (`label62x100` or `label62x29`
in badges/template.toml): each region becomes a ZPL field at its place, in dots at the
printer's resolution (`dpi`: 203 or 300). The printer sets the text in its scalable font
(`^A0`) in UTF-8 (`^CI28`), each text in a field block that wraps and never runs out of
its region, and draws the QR code itself (`^BQ`, model 2, error correction Q), so it is
sharp at any resolution. Text goes in hexadecimal escapes (`^FH`) for `^`, `~` and `_`:
a name cannot end the label early or smuggle in a command.

`address`: `tcp://HOST[:9100]` (the raw port every networked Zebra listens on) or a device
file (`file:///dev/usb/lp0`). On the network the printer is asked for its host status
(`~HS`) after the label: paper out, head open, ribbon out or paused is a failure with those
words, and the print is confirmed once the printer holds no unprinted label.
"""

from __future__ import annotations

import re
import socket
import time
from typing import Any
from urllib.parse import urlparse

from kiosk.event import Event
from kiosk.printing.badge import block_start, event_date
from kiosk.printing.face import BadgeFace, session_theme
from kiosk.printing.printers.base import PrintFailed, Sent, address, choice, number, only
from kiosk.printing.template import BadgeSize, load_template
from kiosk.registrations import codes

KNOWN = ("address", "dpi", "layout", "timeout")
MM_PER_INCH = 25.4
ESCAPE = {"^": "_5E", "~": "_7E", "_": "_5F"}
STATUS_LINE = re.compile(rb"\x02([^\x03]*)\x03")


def validate(settings: dict[str, Any]) -> dict[str, Any]:
    only(settings, KNOWN)
    return {"address": address(settings, "tcp://192.168.1.41:9100"),
            "dpi": choice(settings, "dpi", (203, 300, 600), 203),
            "layout": choice(settings, "layout", ("label62x100", "label62x29"), "label62x29"),
            "timeout": number(settings, "timeout", 1, 600, 30)}


def field_text(value: str) -> str:
    """Text for a ^FH field: the three characters ZPL gives a meaning, as hex escapes; no
    control characters (they are no part of a name)."""
    value = "".join(ch for ch in value if ch >= " " and ch != "\x7f")
    return "".join(ESCAPE.get(ch, ch) for ch in value)


class Label:
    """A ZPL label being written, in millimetres of the template turned into dots."""

    def __init__(self, size: BadgeSize, dpi: int):
        self.size, self.dpi, self.lines = size, dpi, []

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)

    def points(self, pt: float) -> int:
        return max(10, round(pt * self.dpi / 72))

    def text(self, x: float, y: float, width: float, value: str, pt: float, lines: int = 1,
             align: str = "L", reverse: bool = False) -> float:
        """A text in a field block at (x, y) mm; returns the mm below its lines."""
        if not value:
            return y
        height = self.points(pt)
        self.lines.append(f"^FO{self.dots(x)},{self.dots(y)}^A0N,{height},{height}"
                          f"^FB{self.dots(width)},{lines},0,{align},0{'^FR' if reverse else ''}"
                          f"^FH^FD{field_text(value)}^FS")
        return y + lines * height * MM_PER_INCH / self.dpi * 1.08

    def box(self, x: float, y: float, width: float, height: float) -> None:
        thick = self.dots(min(width, height))
        self.lines.append(f"^FO{self.dots(x)},{self.dots(y)}"
                          f"^GB{self.dots(width)},{self.dots(height)},{thick},B,0^FS")

    def qr(self, x: float, y: float, side: float, code: str, modules: int) -> None:
        magnification = max(1, min(10, self.dots(side) // modules))
        quiet = 4 * magnification
        self.lines.append(f"^FO{self.dots(x) + quiet},{self.dots(y) + quiet}"
                          f"^BQN,2,{magnification}^FDQA,{code}^FS")

    def zpl(self) -> str:
        head = [f"^XA^CI28^PW{self.dots(self.size.width)}^LL{self.dots(self.size.height)}"
                "^LH0,0^PR3"]
        return "\n".join(head + self.lines + ["^PQ1^XZ", ""])


def render_zpl(face: BadgeFace, event: Event, layout: str, dpi: int) -> str:
    """The ZPL of one badge."""
    template = load_template()
    size = template.sizes[layout]
    label, regions, kinds = Label(size, dpi), size.regions, size.type
    if "header" in regions:
        x, y, w, h = regions["header"]
        label.box(x, y, w, h)
        label.text(x + 3, y + h / 2 - kinds["event"] * 0.2, w - 6, event.name, kinds["event"],
                   reverse=True)
        label.text(x + 3, y + h - 2 - kinds["date"] * 0.35, w - 6, event_date(event, template),
                   kinds["date"], align="R", reverse=True)
    x, y, w, h = regions["text"]
    y = label.text(x, y, w, face.first_name, kinds["first_name"][0] * 0.8)
    y = label.text(x, y, w, face.last_name, kinds["last_name"][0] * 0.8, lines=2)
    y = label.text(x, y + 1, w, face.organisation, kinds["bestuur"][0] * 0.8)
    label.text(x, y, w, face.function, kinds["function"][0], lines=2)
    if "sessions" in regions:
        _sessions(label, regions["sessions"], kinds, event, face)
    x, y, w, h = regions["qr"]
    matrix_side = 25 + 2 * 4  # version 2 with its quiet zone: what the template's QR holds
    label.qr(x, y, min(w, h), codes.normalise(face.code), matrix_side)
    if "code" in regions:
        x, y, w, h = regions["code"]
        label.text(x, y, w, codes.display(face.code), kinds["code"], align="C")
    return label.zpl()


def _sessions(label: Label, region, kinds, event: Event, face: BadgeFace) -> None:
    x, y, w, _h = region
    for block in event.blocks:
        found = session_theme(event, face, block.id)
        room = event.room_for(found[1].id, block.id) if found else None
        what = f"{found[0]}. {found[1].name}" + (f" — {room.name}" if room else "") \
            if found else "—"
        y = label.text(x, y, w, f"{block.name.upper()} {block_start(event, block.id)}",
                       kinds["block"])
        y = label.text(x, y, w, what, kinds["session"][1]) + 0.8


def render(settings: dict[str, Any], face: BadgeFace, event: Event) -> bytes:
    return render_zpl(face, event, settings["layout"], settings["dpi"]).encode("utf-8")


def send(settings: dict[str, Any], data: bytes, title: str) -> Sent:
    target = settings["address"]
    if target.startswith("file://"):
        try:
            with open(target[len("file://"):], "wb") as device:
                device.write(data)
        except OSError as exc:
            raise PrintFailed(f"printer onbereikbaar op {target}: {exc}") from None
        return Sent(detail="naar het toestel geschreven (een USB-printer meldt niets terug)")
    url = urlparse(target)
    try:
        with socket.create_connection((url.hostname, url.port or 9100), timeout=10) as link:
            link.sendall(data)
            return _confirm(link, settings["timeout"])
    except OSError as exc:
        raise PrintFailed(f"printer onbereikbaar op {target}: {exc}") from None


def host_status(link: socket.socket) -> dict[str, str]:
    """Ask ~HS; the printer answers three framed lines of comma-separated flags."""
    link.sendall(b"~HS")
    buffer = b""
    while len(STATUS_LINE.findall(buffer)) < 3:
        chunk = link.recv(1024)
        if not chunk:
            raise PrintFailed("de printer verbrak de verbinding zonder status")
        buffer += chunk
    one, two, _three = (line.decode("ascii", "replace").split(",")
                        for line in STATUS_LINE.findall(buffer)[:3])
    return {"paper_out": one[1], "paused": one[2], "formats": one[4].strip(),
            "head_up": two[2], "ribbon_out": two[3], "remaining": two[8].strip()}


PROBLEMS = {"paper_out": "papier of labels op", "head_up": "de printkop staat open",
            "ribbon_out": "het lint is op", "paused": "de printer staat op pauze"}


def _confirm(link: socket.socket, timeout: float) -> Sent:
    """Printed once nothing waits in the printer; any problem flag fails the job."""
    deadline = time.monotonic() + timeout
    while True:
        status = host_status(link)
        problems = [words for flag, words in PROBLEMS.items() if status[flag] == "1"]
        if problems:
            raise PrintFailed("de printer meldt: " + "; ".join(problems))
        if int(status["formats"] or 0) == 0 and int(status["remaining"] or 0) == 0:
            return Sent(detail="afgedrukt volgens de printer (~HS)")
        if time.monotonic() > deadline:
            raise PrintFailed(f"de printer drukte het label niet af binnen {timeout:g} s")
        time.sleep(0.3)
