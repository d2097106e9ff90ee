"""A canvas to draw on at a resolution, and the text primitives badges are made of.

Sizes in millimetres and points become pixels here; text is fitted (shrink, then wrap,
then ellipsize: kiosk.printing.textfit), laid out in rows, and drawn as cached glyph masks
(almost every text recurs on other badges). Nothing here knows what a badge says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from kiosk.printing import textfit
from kiosk.printing.template import BadgeSize, Swatch, Template
from kiosk.printing.textfit import line_height, overhang, text_width

MM_PER_INCH = 25.4
PT_PER_INCH = 72

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels
Font = ImageFont.FreeTypeFont


@dataclass
class Run:
    """A piece of one line in one font and colour."""
    text: str
    font: Font
    fill: str


@dataclass
class Row:
    """One line of text; `chip` puts a theme's colour square with its number before it."""
    runs: list[Run]
    height: int
    space_after: int = 0
    indent: int = 0
    chip: tuple[Swatch, int] | None = None


@dataclass(frozen=True)
class Placed:
    """Where a piece of text was drawn, and the region it had to stay in."""
    text: str
    box: Box
    region: str


@dataclass
class Canvas:
    """One badge being drawn at one resolution."""
    template: Template
    size: BadgeSize
    dpi: int
    trace: bool = False  # note where each text went (checks and tests)
    image: Image.Image = field(init=False)
    draw: ImageDraw.ImageDraw = field(init=False)
    placed: list[Placed] = field(default_factory=list)

    def __post_init__(self) -> None:
        paper = self.template.colours.get("paper", "#ffffff")
        self.image = Image.new("RGB", (self.px(self.size.width), self.px(self.size.height)),
                               paper)
        self.draw = ImageDraw.Draw(self.image)

    def px(self, mm: float) -> int:
        return round(mm * self.dpi / MM_PER_INCH)

    def pt(self, points: float) -> int:
        return max(1, round(points * self.dpi / PT_PER_INCH))

    def region(self, name: str) -> Box:
        x, y, w, h = self.size.regions[name]
        return self.px(x), self.px(y), self.px(x + w), self.px(y + h)

    def font(self, role: str, size_px: int) -> Font:
        return self.template.font(role, max(1, size_px))

    def colour(self, name: str, default: str = "#1a1a1a") -> str:
        return self.template.colours.get(name, default)


# --- fitting text and laying out rows -------------------------------------------------------


def fit_lines(canvas: Canvas, text: str, role: str, points: tuple[float, float], width: int,
              max_lines: int = 2) -> tuple[Font, list[str]]:
    """`textfit.fit_lines` in this badge's fonts, with sizes in points."""
    return textfit.fit_lines(lambda px: canvas.font(role, px), text, canvas.pt(points[0]),
                             canvas.pt(points[1]), width, max_lines)


def text_rows(canvas: Canvas, text: str, role: str, points: tuple[float, float], width: int,
              fill: str, space_after: int = 0, max_lines: int = 2) -> list[Row]:
    """Rows for one fitted text; the space after goes below its last line."""
    if not text:
        return []
    font, lines = fit_lines(canvas, text, role, points, width, max_lines)
    rows = [Row([Run(line, font, fill)], line_height(font)) for line in lines]
    rows[-1].space_after = space_after
    return rows


def largest_pair(canvas: Canvas, bold_text: str, regular_text: str, largest: int,
                 smallest: int, width: int) -> int | None:
    """The largest size at which a bold text followed by a regular one fit on one line."""
    for size in range(largest, smallest - 1, -1):
        used = (canvas.font("bold", size).getlength(bold_text)
                + text_width(canvas.font("regular", size), regular_text))
        if used <= width:
            return size
    return None


def draw_rows(canvas: Canvas, region: str, build: Callable[[float], list[Row]],
              middle: bool = False) -> None:
    """Lay rows out in a region (from its top, or centred), scaling every size down until
    they fit."""
    x0, y0, x1, y1 = canvas.region(region)
    scale = 1.0
    rows = build(scale)
    while total_height(rows) > y1 - y0 and scale > 0.3:
        scale *= 0.92
        rows = build(scale)
    top = y0 + (max(0, y1 - y0 - total_height(rows)) // 2 if middle else 0)
    for row in rows:
        if row.chip:
            draw_chip(canvas, (x0, top, x0 + row.indent, top + row.height), *row.chip)
        x = x0 + row.indent
        for run in row.runs:
            put_text(canvas, (x, top), run.text, run.font, run.fill, region, anchor="la")
            x += int(run.font.getlength(run.text))
        top += row.height + row.space_after


def total_height(rows: list[Row]) -> int:
    return sum(row.height for row in rows) + sum(row.space_after for row in rows[:-1])


def draw_chip(canvas: Canvas, box: Box, swatch: Swatch, number: int) -> None:
    """A small square in the theme's colour with its number (no pattern: too busy at
    this size, and the number already tells the themes apart in grey)."""
    x0, y0, x1, y1 = box
    side = min(x1 - x0, y1 - y0) * 4 // 5
    top = y0 + (y1 - y0 - side) // 2
    # On a label printer a colour becomes black or nothing: a black chip, a white number.
    colour = "#000000" if canvas.size.monochrome else swatch.colour
    canvas.draw.rounded_rectangle((x0, top, x0 + side, top + side), radius=side // 6,
                                  fill=colour)
    font = canvas.font("bold", int(side * 0.72))
    canvas.draw.text((x0 + side // 2, top + side // 2), str(number), font=font,
                     fill=ink_on(colour), anchor="mm")


def cached(canvas: Canvas, region: str, key: tuple, draw: Callable[[], None]) -> None:
    """Draw a part that many badges share (the header, a theme's band) once, then paste
    a copy: a print run of hundreds spends its time on what differs."""
    key = (region, canvas.size.name, canvas.dpi, *key)
    box = canvas.region(region)
    tile = canvas.template.tiles.get(key)
    if tile is not None and not canvas.trace:  # tracing wants the texts drawn
        canvas.image.paste(tile, box[:2])
        return
    draw()
    if len(canvas.template.tiles) < 64:
        canvas.template.tiles[key] = canvas.image.crop(box)


def put_text(canvas: Canvas, xy: tuple[int, int], text: str, font: Font, fill: str,
             region: str, anchor: str) -> None:
    """Draw text (and note where it went, when tracing)."""
    if not text:
        return
    if anchor[0] == "l":  # keep a glyph that reaches left of the pen inside the region
        xy = (xy[0] + overhang(font, text[0]), xy[1])
    mask, (left, top) = text_mask(font, text, anchor)
    canvas.image.paste(fill, (xy[0] + left, xy[1] + top), mask)
    if canvas.trace:
        canvas.placed.append(Placed(text, (xy[0] + left, xy[1] + top, xy[0] + left + mask.width,
                                           xy[1] + top + mask.height), region))


@lru_cache(maxsize=512)
def text_mask(font: Font, text: str, anchor: str) -> tuple[Image.Image, tuple[int, int]]:
    """The anti-aliased coverage of a text and its offset from the anchor point. Almost
    every text on a badge recurs on others (first names, besturen, functions, themes,
    rooms, labels), and rasterising is most of the drawing time: so once per text."""
    left, top, right, bottom = (int(v) for v in font.getbbox(text, anchor=anchor))
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, fill=255, anchor=anchor)
    return mask, (left, top)


# --- colour --------------------------------------------------------------------------------


def rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def ink_on(colour: str) -> str:
    """Black or white text, whichever reads better on `colour` (by perceived lightness)."""
    r, g, b = rgb(colour)
    return "#1a1a1a" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#ffffff"


def mix(colour: str, other: str, amount: float) -> str:
    a, b = rgb(colour), rgb(other)
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))
