"""Print-ready PDFs of badges (fpdf2): one badge per page (A6, CR80), or a grid of badges
on A4 sheets with crop marks; sorted by last name or grouped per bestuur.

A print run renders one badge, writes its PNG, places it on the current page and lets it
go: only the compressed images of one PDF file are held at a time, and a run longer than
the layout's `per_file` is split over numbered files, so memory stays bounded for lists of
any length.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.image_parsing import SETTINGS as FPDF_IMAGE_SETTINGS
from PIL import Image

from kiosk.event import Event
from kiosk.printing.badge import flat_colours, png_bytes, render_badge
from kiosk.printing.canvas import rgb
from kiosk.printing.face import BadgeFace
from kiosk.printing.template import BadgeSize, Layout, Template, TemplateError, load_template
from kiosk.registrations import codes
from kiosk.text import fold, strip_accents

SORTS = ("name", "bestuur")
CROP_OFFSET = 2.0  # mm between a badge's edge and its crop mark: the cut never shows a mark
# zlib level for the badge images in the PDF: 3 packs palette images about as tightly as
# fpdf2's default 6 at a third of the time.
IMAGE_COMPRESSION = 3
_IMAGE_SETTINGS_LOCK = threading.Lock()  # the web server renders reprints in threads
NEAR_MISS = 8  # a learnt palette colour this close to an exact one would steal its pixels
Progress = Callable[[int, int], None]


def name_key(face: BadgeFace) -> tuple[str, str, int]:
    """Alphabetical by last name the Flemish way: 'Van Dyck' under V."""
    return fold(face.last_name), fold(face.first_name), face.key


def group_of(face: BadgeFace) -> str:
    return face.organisation or "—"


def sorted_for_print(faces: Iterable[BadgeFace], sort: str = "name") -> list[BadgeFace]:
    """In print order: by name, or per bestuur and by name within it."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
    if sort == "bestuur":
        return sorted(faces, key=lambda f: (fold(group_of(f)), *name_key(f)))
    return sorted(faces, key=name_key)


@dataclass(frozen=True)
class Grid:
    """Where badges go on a page: columns x rows of badges, centred, `gap` apart."""
    page: tuple[float, float]
    badge: tuple[float, float]
    columns: int
    rows: int
    gap: float = 0.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def origin(self) -> tuple[float, float]:
        used_w = self.columns * self.badge[0] + (self.columns - 1) * self.gap
        used_h = self.rows * self.badge[1] + (self.rows - 1) * self.gap
        return (self.page[0] - used_w) / 2, (self.page[1] - used_h) / 2

    def slot(self, index: int) -> tuple[float, float]:
        """Top-left corner (mm) of the index-th badge on a page, row by row."""
        column, row = index % self.columns, index // self.columns
        x0, y0 = self.origin
        return x0 + column * (self.badge[0] + self.gap), y0 + row * (self.badge[1] + self.gap)

    def cuts(self) -> tuple[list[float], list[float]]:
        """The x and y positions of every cut (shared by neighbours when gap is 0)."""
        xs = {self.slot(c)[0] + d for c in range(self.columns) for d in (0, self.badge[0])}
        ys = {self.slot(r * self.columns)[1] + d for r in range(self.rows)
              for d in (0, self.badge[1])}
        return sorted(round(x, 3) for x in xs), sorted(round(y, 3) for y in ys)


def grid_for(layout: Layout, size: BadgeSize) -> Grid:
    """One badge filling the page, or as many as fit inside the layout's margins."""
    if layout.page is None:
        return Grid((size.width, size.height), (size.width, size.height), 1, 1)
    usable_w = layout.page[0] - 2 * layout.margin + layout.gap
    usable_h = layout.page[1] - 2 * layout.margin + layout.gap
    columns = int(usable_w // (size.width + layout.gap))
    rows = int(usable_h // (size.height + layout.gap))
    if columns < 1 or rows < 1:
        raise TemplateError(f"layouts.{layout.name}: a {size.width} x {size.height} mm badge "
                            f"does not fit on the page inside its margins")
    return Grid(layout.page, (size.width, size.height), columns, rows, layout.gap)


class SheetWriter:
    """Places rendered badges on the pages of one PDF."""

    def __init__(self, template: Template, layout: Layout, title: str = "badges"):
        self.layout = layout
        self.grid = grid_for(layout, template.sizes[layout.badge])
        self.pdf = FPDF(unit="mm", format=self.grid.page)
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margin(0)
        self.pdf.set_title(title)
        self.pdf.set_creator("kiosk")
        self.pdf.add_font("regular", fname=str(template.fonts["regular"]))
        self.title = title
        self.count = 0
        self._group: str | None = None

    def add(self, image: Image.Image, group: str | None = None) -> None:
        """Put one badge in the next free place (a new page when the last one is full)."""
        index = self.count % self.grid.per_page
        if index == 0:
            self._new_page()
        if group is not None and group != self._group:
            self.pdf.start_section(group)  # a bookmark per bestuur in the PDF viewer
            self._group = group
        x, y = self.grid.slot(index)
        with _IMAGE_SETTINGS_LOCK:  # fpdf2 has only this process-wide setting: put it back
            level = FPDF_IMAGE_SETTINGS.compression_level
            FPDF_IMAGE_SETTINGS.compression_level = IMAGE_COMPRESSION
            try:
                self.pdf.image(image, x=x, y=y, w=self.grid.badge[0], h=self.grid.badge[1])
            finally:
                FPDF_IMAGE_SETTINGS.compression_level = level
        self.count += 1

    def _new_page(self) -> None:
        self.pdf.add_page()
        if self.grid.per_page > 1:
            self._crop_marks()
            self._footer()

    def _crop_marks(self) -> None:
        """Short hairlines outside the grid, in line with every cut."""
        pdf, grid, length = self.pdf, self.grid, self.layout.crop_mark
        if length <= 0:
            return
        pdf.set_line_width(0.2)
        pdf.set_draw_color(0)
        xs, ys = grid.cuts()
        top, bottom, left, right = ys[0], ys[-1], xs[0], xs[-1]
        for x in xs:
            pdf.line(x, top - CROP_OFFSET - length, x, top - CROP_OFFSET)
            pdf.line(x, bottom + CROP_OFFSET, x, bottom + CROP_OFFSET + length)
        for y in ys:
            pdf.line(left - CROP_OFFSET - length, y, left - CROP_OFFSET, y)
            pdf.line(right + CROP_OFFSET, y, right + CROP_OFFSET + length, y)

    def _footer(self) -> None:
        """Which sheet this is, in the bottom margin: a dropped stack goes back in order."""
        pdf = self.pdf
        pdf.set_font("regular", size=7)
        pdf.set_text_color(110)
        pdf.set_xy(0, self.grid.page[1] - self.layout.margin / 2 - 2)
        pdf.cell(self.grid.page[0], 4, f"{self.title} · blad {pdf.page_no()}", align="C")

    def output(self) -> bytes:
        return bytes(self.pdf.output())

    def write(self, path: Path) -> None:
        """Write the PDF without a second copy of it in memory."""
        with open(path, "wb") as handle:
            handle.write(self.pdf.output())


@dataclass
class PrintRun:
    """What a print run wrote."""
    pdfs: list[Path] = field(default_factory=list)
    pngs: list[Path] = field(default_factory=list)
    pages: int = 0
    printed: dict[int, int] = field(default_factory=dict)  # attendee id -> badge version


def print_badges(faces: list[BadgeFace], event: Event, out_dir: str | Path, *,
                 layout: str = "a4", sort: str = "name", dpi: int = 300,
                 template: Template | None = None, label: str = "",
                 progress: Progress | None = None) -> PrintRun:
    """Render each badge once: a PNG per badge in `out_dir/png`, and the layout's PDF
    file(s) in `out_dir`. `label` goes into the PDF names ('changed')."""
    template = template or load_template()
    chosen = layout_named(template, layout)
    out = Path(out_dir)
    (out / "png").mkdir(parents=True, exist_ok=True)
    people = sorted_for_print(faces, sort)
    chunks = list(_chunks(people, chosen.per_file))
    run = PrintRun()
    palette = print_palette(event, template, chosen.badge) if people else None
    with PngWriter(dpi) as pngs:
        for part, chunk in enumerate(chunks, start=1):
            writer = SheetWriter(template, chosen, f"{event.name} – badges")
            for face in chunk:
                image = render_badge(face, event, size=chosen.badge, dpi=dpi,
                                     template=template)
                image = image.quantize(palette=palette, dither=Image.Dither.NONE)
                run.pngs.append(pngs.write(out / "png" / png_name(face), image))
                writer.add(image, group_of(face) if sort == "bestuur" else None)
                run.printed[face.key] = face.version
                if progress:
                    progress(len(run.pngs), len(people))
            run.pdfs.append(out / pdf_name(layout, label, part if len(chunks) > 1 else None))
            writer.write(run.pdfs[-1])
            run.pages += writer.pdf.pages_count
            del writer
            gc.collect()  # an FPDF holds reference cycles: free its images before the next
    return run


class PngWriter:
    """Writes PNG files in a background thread, one at a time: Pillow's encoder and the
    file write let go of the GIL, so the next badge is drawn meanwhile."""

    def __init__(self, dpi: int):
        self.dpi = dpi
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-png")
        self.pending: Future | None = None

    def write(self, path: Path, image: Image.Image) -> Path:
        self.wait()  # at most one image waits: memory stays bounded
        self.pending = self.pool.submit(self._save, path, image)
        return path

    def _save(self, path: Path, image: Image.Image) -> None:
        path.write_bytes(png_bytes(image, self.dpi))

    def wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # raises here what went wrong there (a full disk)

    def __enter__(self) -> PngWriter:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.wait()
        finally:
            self.pool.shutdown()


def print_palette(event: Event, template: Template, size: str) -> Image.Image:
    """A 256-colour palette holding every colour a badge of this event can show.

    Badges are flat colour plus anti-aliased edges, so a palette loses nothing visible and
    makes every image a third of the bytes: PNGs and PDF pages are written several times
    faster and the PDF is a third of the size. The palette is learnt once per run from a
    strip of sample badges, one per theme (and one without); the colours painted as areas
    (paper, header, theme colours, the QR code's black) go in exactly, and learnt colours
    too close to them are left out, so that no flat area lands on a near miss.
    """
    samples = [_sample(event, {b.id: theme.id for b in event.blocks}) for theme in event.themes]
    images = [render_badge(a, event, size=size, dpi=100, template=template)
              for a in [*samples, _sample(event, {})]]
    strip = Image.new("RGB", (sum(i.width for i in images), images[0].height), "#ffffff")
    for index, image in enumerate(images):
        strip.paste(image, (index * images[0].width, 0))
    exact = [rgb(colour) for colour in flat_colours(event, template)][:256]
    learnt = strip.quantize(256, method=Image.Quantize.FASTOCTREE).getpalette()
    for found in zip(learnt[0::3], learnt[1::3], learnt[2::3], strict=True):
        if len(exact) < 256 and all(max(abs(a - b) for a, b in zip(found, colour, strict=True))
                                    > NEAR_MISS for colour in exact):
            exact.append(found)
    palette = Image.new("P", (1, 1))
    # as bytes: fpdf2 writes the palette of an indexed image as it finds it (a list breaks)
    palette.putpalette(bytes(v for colour in exact for v in colour).ljust(768, b"\0"))
    return palette


def _sample(event: Event, sessions: dict[str, str]) -> BadgeFace:
    return BadgeFace("Ëlodie-Çä", "Øyst", event.besturen[0].name if event.besturen else
                     "Bestuur", "Functie", sessions, codes.new_code(), diet_marker=True)


def badges_pdf(faces: list[BadgeFace], event: Event, layout: str = "a6", *,
               sort: str = "name", dpi: int = 300, template: Template | None = None) -> bytes:
    """Badges as one PDF in memory (a walk-in, a reprint, a handful)."""
    template = template or load_template()
    chosen = layout_named(template, layout)
    writer = SheetWriter(template, chosen, f"{event.name} – badges")
    for face in sorted_for_print(faces, sort):
        writer.add(render_badge(face, event, size=chosen.badge, dpi=dpi, template=template))
    return writer.output()


def badge_pdf(face: BadgeFace, event: Event, layout: str = "a6", *,
              template: Template | None = None) -> bytes:
    """One badge as a print-ready PDF in one of the template's layouts (reception's
    walk-in and reprint flow)."""
    return badges_pdf([face], event, layout, template=template)


def layout_named(template: Template, layout: str) -> Layout:
    if layout not in template.layouts:
        raise TemplateError(f"no layout {layout!r} in {template.source} "
                            f"(layouts: {', '.join(template.layouts)})")
    return template.layouts[layout]


def png_name(face: BadgeFace) -> str:
    """'0042-de-smet-leen.png': the id keeps it unique, the name makes it findable."""
    words = strip_accents(f"{face.last_name} {face.first_name}").lower()
    slug = "".join(ch if ch.isalnum() else "-" for ch in words).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return f"{face.key:04d}-{slug[:60] or 'badge'}.png"


def pdf_name(layout: str, label: str = "", part: int | None = None) -> str:
    """'badges-a4.pdf', 'badges-a4-changed.pdf', 'badges-a6-2.pdf'."""
    pieces = ["badges", layout, label, str(part) if part else ""]
    return "-".join(p for p in pieces if p) + ".pdf"


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), max(1, size)):
        yield items[start:start + size]
