"""The paper check-in list: the fallback for when power, network or tablets fail at 09:00.

Alphabetical by last name (the Flemish way: 'Van Dyck' under V), a letter heading where
the initial changes, and per person a tick box, the name, the bestuur, the theme and room
per block and the badge code, grouped for reading aloud. A4 landscape, headings repeated
on every page, page numbers in the footer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from fpdf import FPDF, FontFace

from kiosk.event import Event
from kiosk.printing.badge import event_date
from kiosk.printing.face import BadgeFace, session_theme
from kiosk.printing.sheets import group_of, sorted_for_print
from kiosk.printing.template import Template, load_template
from kiosk.registrations import codes
from kiosk.text import fold

TICK_BOX = "☐"
MARGIN = 10  # mm


class _ListPdf(FPDF):
    """A4 landscape with the event in the header and 'p. 3/12' in the footer."""

    def __init__(self, heading: str):
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self.heading = heading
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)

    def header(self) -> None:
        self.set_font("dejavu", "B", size=12)
        self.cell(0, 7, self.heading, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def footer(self) -> None:
        self.set_y(-MARGIN - 2)
        self.set_font("dejavu", size=8)
        self.set_text_color(110)
        self.cell(0, 5, f"p. {self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)


def checklist_pdf(faces: Iterable[BadgeFace], event: Event, generated: dt.datetime, *,
                  template: Template | None = None) -> bytes:
    """The alphabetical check-in list of everyone given (the caller leaves out the
    cancelled) as PDF bytes; `generated` (the event clock) is printed in the header."""
    template = template or load_template()
    stamp = generated.astimezone(event.tz).strftime("%d/%m/%Y %H:%M")
    pdf = _ListPdf(f"{event.name} · {event_date(event, template)} · aanwezigheidslijst "
                   f"(afgedrukt {stamp})")
    pdf.add_font("dejavu", fname=str(template.fonts["regular"]))
    pdf.add_font("dejavu", "B", fname=str(template.fonts["bold"]))
    pdf.add_page()
    _table(pdf, sorted_for_print(faces, "name"), event)
    return bytes(pdf.output())


def _table(pdf: _ListPdf, people: list[BadgeFace], event: Event) -> None:
    blocks = event.blocks
    session_width = (277 - 9 - 56 - 38 - 46) / max(1, len(blocks))
    widths = (9, 56, 38, *[session_width] * len(blocks), 46)
    headings = ("", "Naam", "Bestuur", *[b.name for b in blocks], "Badgecode")
    pdf.set_font("dejavu", size=8.5)
    letter_style = FontFace(emphasis="BOLD", fill_color=(225, 230, 238))
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5.2,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(27, 58, 92),
                                           color=(255, 255, 255)),
                   padding=(0.8, 1.2), repeat_headings=1) as table:
        table.row(headings)
        initial = None
        for face in people:
            first = (fold(face.last_name)[:1] or "#").upper()
            if first != initial:
                initial = first
                table.row().cell(first, colspan=len(widths), style=letter_style)
            row = table.row()
            row.cell(TICK_BOX, align="CENTER")
            row.cell(f"{face.last_name}, {face.first_name}".strip(", "))
            row.cell(group_of(face))
            for block in blocks:
                row.cell(_session_text(event, face, block.id))
            row.cell(codes.display(face.code))


def _session_text(event: Event, face: BadgeFace, block_id: str) -> str:
    """'Zaal Curie (3 Onderwijs en kinderopvang)': the room first, where people go."""
    found = session_theme(event, face, block_id)
    if found is None:
        return "—"
    number, theme = found
    room = event.room_for(theme.id, block_id)
    return f"{room.name} ({number} {theme.name})" if room else f"{number} {theme.name}"
