"""Helpers for the badge tests: decoding QR codes, reading PDFs, checking layouts."""

from __future__ import annotations

import io
from pathlib import Path

import zxingcpp
from PIL import Image
from pypdf import PdfReader

from kiosk.printing.canvas import Canvas
from kiosk.printing.face import BadgeFace, face_of
from kiosk.store.attendees import Attendee

MM_PER_PT = 25.4 / 72


def decode(image: Image.Image) -> list[str]:
    """Every QR code zxing-cpp (an independent decoder) finds in an image."""
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def at_dpi(image: Image.Image, from_dpi: int, to_dpi: int) -> Image.Image:
    """The same badge as a printer or camera at a lower resolution would see it."""
    size = (round(image.width * to_dpi / from_dpi), round(image.height * to_dpi / from_dpi))
    return image.convert("RGB").resize(size, Image.Resampling.LANCZOS)


def page_sizes_mm(pdf: bytes | Path) -> list[tuple[float, float]]:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    reader = PdfReader(io.BytesIO(data))
    return [(round(float(p.mediabox.width) * MM_PER_PT, 1),
             round(float(p.mediabox.height) * MM_PER_PT, 1)) for p in reader.pages]


def pdf_images(pdf: bytes | Path, page: int = 0) -> list[Image.Image]:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return [image.image for image in PdfReader(io.BytesIO(data)).pages[page].images]


def pdf_text(pdf: bytes | Path) -> str:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def overflows(canvas: Canvas) -> list[str]:
    """Pieces of text drawn (even partly) outside the region they belong to."""
    bad = []
    for placed in canvas.placed:
        x0, y0, x1, y1 = canvas.region(placed.region)
        bx0, by0, bx1, by1 = placed.box
        if bx0 < x0 - 1 or by0 < y0 - 1 or bx1 > x1 + 1 or by1 > y1 + 1:
            bad.append(f"{placed.text!r} in {placed.region}: {placed.box} outside "
                       f"{(x0, y0, x1, y1)}")
    return bad


def texts(canvas: Canvas, region: str) -> list[str]:
    return [p.text for p in canvas.placed if p.region == region]


def person(**values) -> BadgeFace:
    """The badge of an attendee who never saw a database: a badge code and what the test
    sets (in the words of a registration: badge_code, bestuur, diets...)."""
    values.setdefault("email", "test@example.be")
    values.setdefault("badge_code", "0123456789ABCDEF8")
    values.setdefault("id", 1)
    return face_of(Attendee(**values))


def faces(attendees) -> list[BadgeFace]:
    """The badges of stored attendees, as the commands hand them to the printing code."""
    return [face_of(a) for a in attendees]
