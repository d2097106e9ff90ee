"""report.pdf: the same report on A4 (fpdf2, already used for the badges), a section a
page, each chart with its table; page numbers in the footer.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from kiosk.event import Event

WIDTH = 180  # mm between the margins of an A4 page
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu, shipped with matplotlib
HEAD = FontFace(emphasis="BOLD", fill_color=(225, 225, 225))


class ReportPDF(FPDF):
    """A4 portrait with the event's name and a page number in the footer."""

    def __init__(self, title: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.title_line = title
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.add_font("dejavu", fname=str(FONTS / "DejaVuSans.ttf"))
        self.add_font("dejavu", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_creator("kiosk")
        self.set_font("dejavu", size=10)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("dejavu", size=8)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.title_line} · p. {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def render(figures: dict, event: Event, charts: dict[str, bytes]) -> bytes:
    """The whole report as PDF bytes."""
    head = figures["event"]
    date = dt.date.fromisoformat(head["date"]).strftime("%d/%m/%Y")
    pdf = ReportPDF(f"{head['name']} · rapport {date}")
    pdf.add_page()
    _title(pdf, figures, date)
    _keys(pdf, figures)
    _chart(pdf, charts["arrivals"])
    _arrivals_note(pdf, figures)
    _page(pdf, "Opkomst per bestuur", charts["besturen"])
    _table(pdf, ["bestuur", "vooraf ingeschreven", "ter plaatse", "gekomen", "niet gekomen"],
           [[b["name"], b["registered"], b["walk_ins"], b["arrived"], b["no_shows"]]
            for b in figures["besturen"]], (60, 30, 30, 30, 30))
    _page(pdf, "Werksessies: ingeschreven en in de zaal", charts["rooms"])
    _table(pdf, ["blok", "thema", "ingeschr.", "in de zaal", "meeste tegelijk", "capaciteit"],
           [[r["block_name"], r["theme_name"], r["registered"], r["visitors"],
             f"{r['peak']} (om {r['peak_at']})" if r["peak_at"] else r["peak"],
             r["capacity"] if r["capacity"] is not None else "–"] for r in figures["rooms"]],
           (25, 55, 22, 24, 32, 22), text_columns=2)
    _page(pdf, "Kruisbestuiving", charts["coverage"])
    _coverage_note(pdf, figures)
    _page(pdf, "Lunch en netwerkmoment", charts["catering"])
    _catering(pdf, figures)
    _page(pdf, "Scans per post", charts["stations"])
    _table(pdf, ["post", "scans", "ongedaan", "offline", "laatst nagestuurd"],
           [[s["name"] or "zonder post", s["scans"], s["undone"], s["offline"],
             s["last_synced"] or ""] for s in figures["stations"]], (80, 22, 25, 22, 31))
    return bytes(pdf.output())


def _title(pdf: ReportPDF, figures: dict, date: str) -> None:
    head = figures["event"]
    pdf.set_font("dejavu", "B", 20)
    pdf.cell(0, 10, f"{head['name']}: rapport van de dag", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("dejavu", size=10)
    pdf.cell(0, 6, f"{date} · {head['venue']} · {head['organiser']}", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_text_color(80)
    pdf.cell(0, 6, f"Cijfers van {figures['computed_at'][:16].replace('T', ' ')}",
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    if figures.get("purged"):
        when = dt.datetime.fromisoformat(figures["purged"]).strftime("%d/%m/%Y")
        pdf.set_fill_color(235)
        pdf.multi_cell(0, 6, f"De persoonsgegevens werden op {when} verwijderd. Dit rapport "
                             "toont de bewaarde totalen; er staan geen namen meer in.",
                       border=1, fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _keys(pdf: ReportPDF, figures: dict) -> None:
    """The key figures as six boxes, two rows of three."""
    t = figures["totals"]
    boxes = [(t["registered"], "vooraf ingeschreven"), (t["arrived"], "gekomen"),
             (t["no_shows"], "niet gekomen"), (t["walk_ins"], "ter plaatse ingeschreven"),
             (t["cancelled"], "geannuleerd"),
             (t["peak_on_site"], f"meeste tegelijk (om {t['peak_on_site_at'] or '–'})")]
    width, height = WIDTH / 3, 18
    top = pdf.get_y()
    for index, (value, words) in enumerate(boxes):
        x, y = pdf.l_margin + (index % 3) * width, top + (index // 3) * (height + 2)
        pdf.rect(x + 1, y, width - 2, height)
        pdf.set_xy(x + 3, y + 1.5)
        pdf.set_font("dejavu", "B", 16)
        pdf.cell(width - 6, 8, str(value))
        pdf.set_xy(x + 3, y + 10)
        pdf.set_font("dejavu", size=8.5)
        pdf.cell(width - 6, 5, words)
    pdf.set_y(top + 2 * (height + 2) + 2)
    pdf.set_font("dejavu", size=10)
    share = "–" if t["show_up"] is None else f"{t['show_up'] * 100:.0f}%"
    pdf.cell(0, 6, f"Opkomst van wie vooraf inschreef: {share}.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _page(pdf: ReportPDF, title: str, chart: bytes) -> None:
    pdf.add_page()
    pdf.set_font("dejavu", "B", 14)
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("dejavu", size=10)
    _chart(pdf, chart)


def _chart(pdf: ReportPDF, chart: bytes, width: float = WIDTH) -> None:
    with Image.open(io.BytesIO(chart)) as image:
        height = width * image.height / image.width
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.image(io.BytesIO(chart), x=pdf.l_margin, y=pdf.get_y(), w=width, h=height)
    pdf.set_y(pdf.get_y() + height + 3)


def _table(pdf: ReportPDF, header: list[str], rows: list[list], widths: tuple[float, ...],
           text_columns: int = 1) -> None:
    """A table; the first `text_columns` are left-aligned words, the rest numbers."""
    pdf.set_font("dejavu", size=8.5)
    align = ["LEFT"] * text_columns + ["RIGHT"] * (len(header) - text_columns)
    with pdf.table(col_widths=widths, text_align=align, headings_style=HEAD,
                   line_height=5, width=sum(widths), align="LEFT") as table:
        heading = table.row()
        for text in header:
            heading.cell(text)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(str(value))
    pdf.set_font("dejavu", size=10)
    pdf.ln(2)


def _arrivals_note(pdf: ReportPDF, figures: dict) -> None:
    buckets = figures["arrivals"]
    if not buckets:
        return
    busiest = max(buckets, key=lambda b: b["count"])
    pdf.multi_cell(0, 5.5, f"De drukste vijf minuten begonnen om {busiest['at']}: "
                           f"{busiest['count']} aankomsten. De eerste aanmelding viel om "
                           f"{buckets[0]['at']}, de laatste om {buckets[-1]['at']}.",
                   new_x="LMARGIN", new_y="NEXT", align="L")


def _coverage_note(pdf: ReportPDF, figures: dict) -> None:
    matrix = figures["coverage"]
    came, registered = matrix["reach_arrived"], matrix["reach_registered"]
    total = len(matrix["besturen"]) * len(matrix["themes"])
    share = "–" if came["share"] is None else f"{came['share'] * 100:.0f}%"
    pdf.multi_cell(0, 5.5, f"{came['cells']} van de {total} combinaties bestuur × thema kregen "
                           f"iemand over de vloer ({share}); bij de inschrijving waren dat er "
                           f"{registered['cells']}.", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    _table(pdf, ["thema", "besturen gehoord"],
           [[theme, f"{n} van {len(matrix['besturen'])}"]
            for theme, n in zip(matrix["themes"], came["per_theme"], strict=True)], (80, 40))


def _catering(pdf: ReportPDF, figures: dict) -> None:
    meals = figures["catering"]
    if not meals:
        return
    at = meals[0]["forecast_at"]
    _table(pdf, ["maaltijd", "ingeschreven", "aanwezig", f"voorspeld om {at}"],
           [[m["name"], m["registered"], m["present"], m["forecast"]] for m in meals],
           (80, 30, 30, 40))
    for meal in meals:
        pdf.set_font("dejavu", size=8.5)
        pdf.multi_cell(0, 4.5, f"{meal['name']}, om {at}: {meal['forecast_explanation']}",
                       new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    _table(pdf, ["dieetwens", *[m["name"] for m in meals]],
           [[d["name"], *[m["diets"][i]["count"] for m in meals]]
            for i, d in enumerate(meals[0]["diets"])], (60, *[50] * len(meals)))
