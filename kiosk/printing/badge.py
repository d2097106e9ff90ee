"""One badge as an image, drawn with Pillow and qrcode (no Flask here).

The look comes from `badges/template.toml`: each part of the badge (header, theme band,
name block, sessions, QR code, the code in print, the dietary marker) fills its own region.
Text that may be long (names, functions, rooms) shrinks to fit, then wraps onto a second
line, and only as a last resort is shortened with an ellipsis: nothing is drawn outside
its region (kiosk.printing.canvas). Text is drawn as glyphs, so markup in a name is ink.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from kiosk.event import Event, Theme
from kiosk.printing import qr
from kiosk.printing.canvas import (
    Box,
    Canvas,
    Row,
    Run,
    cached,
    draw_rows,
    fit_lines,
    ink_on,
    largest_pair,
    mix,
    put_text,
    text_rows,
)
from kiosk.printing.face import BadgeFace, first_theme, session_theme
from kiosk.printing.template import Swatch, Template, TemplateError, load_template
from kiosk.printing.textfit import ellipsize, line_height
from kiosk.registrations import codes

NEUTRAL_BAND = "#d9d9d9"  # no morning theme chosen (yet): a walk-in, an open choice
PATTERN_TONE = 0.45  # pattern lines: the swatch mixed this far towards its text colour


# --- the public functions ------------------------------------------------------------------


def render_badge(face: BadgeFace, event: Event, *, size: str = "a6", dpi: int = 300,
                 template: Template | None = None) -> Image.Image:
    """One badge as an RGB image of the template's `size` at `dpi`."""
    return render_canvas(face, event, size=size, dpi=dpi, template=template).image


def render_canvas(face: BadgeFace, event: Event, *, size: str = "a6", dpi: int = 300,
                  template: Template | None = None, trace: bool = False) -> Canvas:
    """The drawn badge; with trace, `canvas.placed` says where each piece of text went."""
    template = template or load_template()
    if size not in template.sizes:
        raise TemplateError(f"no badge size {size!r} in {template.source} "
                            f"(sizes: {', '.join(template.sizes)})")
    if not face.code:
        raise ValueError(f"badge {face.key} has no badge code")
    canvas = Canvas(template, template.sizes[size], dpi, trace)
    has = canvas.size.regions  # a label strip has only some of the parts
    if "header" in has:
        where = (event.name, event.date, event.venue, tuple(event.colours.items()))
        cached(canvas, "header", where, lambda: draw_header(canvas, event))
    if "band" in has:
        found = first_theme(event, face)
        cached(canvas, "band", (found and (found[0], found[1].name),),
               lambda: draw_band(canvas, found))
    draw_rows(canvas, "text", lambda scale: person_rows(canvas, face, scale), middle=True)
    if "sessions" in has:
        draw_rows(canvas, "sessions", lambda scale: session_rows(canvas, event, face, scale))
    draw_qr(canvas, face.code)
    if "code" in has:
        draw_code(canvas, face.code)
    if face.diet_marker and "diet" in has:
        draw_diet_marker(canvas)
    return canvas


def badge_png(face: BadgeFace, event: Event, dpi: int = 300, *, size: str = "a6",
              template: Template | None = None) -> bytes:
    """The badge as PNG bytes (walk-ins and reprints at reception; one file per attendee)."""
    return png_bytes(render_badge(face, event, size=size, dpi=dpi, template=template), dpi)


def png_bytes(image: Image.Image, dpi: int) -> bytes:
    """Encode as PNG; a low zlib level because badges are flat colour and speed matters
    when a few hundred are written in one run."""
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi), compress_level=3)
    return buffer.getvalue()


def qr_matrix(code: str, template: Template) -> list[list[bool]]:
    """The QR code's modules, quiet zone included (True is dark)."""
    return qr.qr_matrix(code, template.qr_error_correction, template.qr_quiet_zone)


# --- drawing the parts ---------------------------------------------------------------------


def draw_header(canvas: Canvas, event: Event) -> None:
    """The event's colour, its name at the left, the date and venue at the right."""
    x0, y0, x1, y1 = canvas.region("header")
    colour, accent = header_colours(canvas.template, event)
    if canvas.size.monochrome:  # black on a label printer, with white letters
        colour = accent = "#000000"
    ink = ink_on(colour)
    strip = max(2, (y1 - y0) // 14)  # an accent line along the bottom edge
    # Pillow's rectangles include their end point: stop one short, inside the region (a
    # cached copy of the region is exactly that, so every badge gets the same pixels).
    canvas.draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=colour)
    canvas.draw.rectangle((x0, y1 - strip, x1 - 1, y1 - 1), fill=accent)
    pad = max(canvas.region("text")[0] - x0, canvas.px(2))
    right = draw_logo(canvas, (x0, y0, x1 - pad, y1 - strip))
    middle = (y0 + y1 - strip) // 2
    size = canvas.size.type
    title_font, (title,) = fit_lines(canvas, event.name, "bold", (size["event"],
                                     size["event"] * 0.5), (right - x0 - pad) * 3 // 5, 1)
    put_text(canvas, (x0 + pad, middle), title, title_font, ink, "header", anchor="lm")
    room = right - (x0 + pad + int(title_font.getlength(title))) - pad
    lines = [line for line in (event_date(event, canvas.template), event.venue) if line]
    fonts = [fit_lines(canvas, line, "regular", (size["date"], size["date"] * 0.6), room, 1)
             for line in lines]
    top = middle - sum(line_height(font) for font, _ in fonts) // 2
    for font, (line,) in fonts:
        put_text(canvas, (right, top), line, font, ink, "header", anchor="ra")
        top += line_height(font)


def draw_logo(canvas: Canvas, box: Box) -> int:
    """Paste the template's logo at the right of `box`; returns where text must end."""
    if canvas.template.logo is None:
        return box[2]
    height = int((box[3] - box[1]) * 0.7)
    logo = scaled_logo(canvas.template.logo, height, (box[2] - box[0]) // 4)
    left = box[2] - logo.width
    canvas.image.paste(logo, (left, (box[1] + box[3] - logo.height) // 2), logo)
    return left - canvas.px(3)


@lru_cache(maxsize=8)
def scaled_logo(path: Path, height: int, max_width: int) -> Image.Image:
    logo = Image.open(path).convert("RGBA")
    logo.thumbnail((max_width, height), Image.Resampling.LANCZOS)
    return logo


def draw_band(canvas: Canvas, found: tuple[int, Theme] | None) -> None:
    """The morning theme's colour and pattern, with its number (and name, when the band
    is wide): the band sorts a crowd at a glance, the number survives grey-scale print."""
    x0, y0, x1, y1 = canvas.region("band")
    if found is None:
        canvas.draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=NEUTRAL_BAND)
        return
    number, theme = found
    swatch = canvas.template.swatch(number)
    canvas.image.paste(pattern_tile(canvas, swatch, (x1 - x0, y1 - y0)), (x0, y0))
    label_band(canvas, (x0, y0, x1, y1), number, theme if x1 - x0 > y1 - y0 else None)


def label_band(canvas: Canvas, box: Box, number: int, theme: Theme | None) -> None:
    """A white label on the band: a black disc with the number, then the theme's name."""
    x0, y0, x1, y1 = box
    short = min(x1 - x0, y1 - y0)
    height = int(short * 0.74)
    pad = (short - height) // 2
    left = canvas.region("text")[0] if theme else x0 + pad
    top = y0 + pad
    font = canvas.font("bold", min(canvas.pt(canvas.size.type["band"]), int(height * 0.62)))
    name_width, name = 0, ""
    if theme:
        room = x1 - left - 2 * height
        name = ellipsize(font, theme.name, room)
        name_width = int(font.getlength(name)) + height // 2
    right = left + height + name_width
    canvas.draw.rounded_rectangle((left, top, right, top + height), radius=height // 2,
                                  fill="#ffffff")
    disc = (left + height // 10, top + height // 10, left + height - height // 10,
            top + height - height // 10)
    canvas.draw.ellipse(disc, fill="#1a1a1a")
    put_text(canvas, ((disc[0] + disc[2]) // 2, (disc[1] + disc[3]) // 2), str(number), font,
             "#ffffff", "band", anchor="mm")
    if name:
        put_text(canvas, (left + height + height // 6, top + height // 2), name, font,
                 "#1a1a1a", "band", anchor="lm")


def pattern_tile(canvas: Canvas, swatch: Swatch, size: tuple[int, int]) -> Image.Image:
    """A swatch-coloured tile with its pattern, in a tone of the same colour."""
    tile = Image.new("RGB", size, swatch.colour)
    draw = ImageDraw.Draw(tile)
    line = mix(swatch.colour, ink_on(swatch.colour), PATTERN_TONE)
    step, width = canvas.px(1.8), max(1, canvas.px(0.45))
    w, h = size
    kind = swatch.pattern
    if kind in ("stripes", "backslashes"):
        for k in range(-h, w + h, step):
            ends = ((k, h), (k + h, 0)) if kind == "stripes" else ((k, 0), (k + h, h))
            draw.line(ends, fill=line, width=width)
    if kind in ("hlines", "grid"):
        for y in range(step // 2, h, step):
            draw.line(((0, y), (w, y)), fill=line, width=width)
    if kind in ("vlines", "grid"):
        for x in range(step // 2, w, step):
            draw.line(((x, 0), (x, h)), fill=line, width=width)
    if kind == "dots":
        r = width
        for y in range(step // 2, h, step):
            for x in range(step // 2 + (step // 2 if (y // step) % 2 else 0), w, step):
                draw.ellipse((x - r, y - r, x + r, y + r), fill=line)
    return tile


def person_rows(canvas: Canvas, face: BadgeFace, scale: float) -> list[Row]:
    """First name large, last name a size smaller, then bestuur and function."""
    x0, _, x1, _ = canvas.region("text")
    width, size = x1 - x0, canvas.size.type
    ink, muted = canvas.colour("ink"), canvas.colour("muted", "#555555")
    accent = canvas.colour("header", "#1b3a5c")
    gap = canvas.px(1.5 * scale)

    def scaled(key: str) -> tuple[float, float]:
        return size[key][0] * scale, size[key][1] * scale

    return [
        *text_rows(canvas, face.first_name, "name", scaled("first_name"), width, ink),
        *text_rows(canvas, face.last_name, "name", scaled("last_name"), width, ink, gap * 2),
        *text_rows(canvas, face.organisation, "bold", scaled("bestuur"),
                   width, accent, gap // 2, max_lines=1),
        *text_rows(canvas, face.function, "regular", scaled("function"), width, muted),
    ]


def session_rows(canvas: Canvas, event: Event, face: BadgeFace, scale: float) -> list[Row]:
    """Per block: a small label ('VOORMIDDAG · 10:00'), then the theme and its room."""
    x0, _, x1, _ = canvas.region("sessions")
    size, muted = canvas.size.type, canvas.colour("muted", "#555555")
    label_font = canvas.font("bold", canvas.pt(size["block"] * scale))
    rows: list[Row] = []
    for block in event.blocks:
        label = " · ".join(filter(None, [block.name.upper(), block_start(event, block.id)]))
        rows.append(Row([Run(label, label_font, muted)], line_height(label_font)))
        found = session_theme(event, face, block.id)
        points = (size["session"][0] * scale, size["session"][1] * scale)
        rows += theme_rows(canvas, event, found, block.id, points, x1 - x0)
        rows[-1].space_after = canvas.px(2 * scale)
    return rows


def theme_rows(canvas: Canvas, event: Event, found: tuple[int, Theme] | None, block_id: str,
               points: tuple[float, float], width: int) -> list[Row]:
    """'[chip] Theme  Room' on one line when that fits at full size, else the theme (on
    up to two lines) and the room under it: the same size on every badge reads calmer than
    each line shrunk to its own width."""
    ink, muted = canvas.colour("ink"), canvas.colour("muted", "#555555")
    if found is None:
        font = canvas.font("bold", canvas.pt(points[0]))
        return [Row([Run(canvas.template.text.get("no_session", "—"), font, ink)],
                    line_height(font))]
    number, theme = found
    room = event.room_for(theme.id, block_id)
    chip = (canvas.template.swatch(number), number)
    chip_width = int(canvas.pt(points[0]) * 1.25)
    width -= chip_width
    largest = canvas.pt(points[0])
    place = f"  {room.name}" if room else ""
    if largest_pair(canvas, theme.name, place, largest, largest, width):
        bold, regular = canvas.font("bold", largest), canvas.font("regular", largest)
        return [Row([Run(theme.name, bold, ink), Run(place, regular, muted)],
                    line_height(bold), indent=chip_width, chip=chip)]
    rows = text_rows(canvas, theme.name, "bold", points, width, ink)
    rows += text_rows(canvas, place.strip(), "regular", points, width, muted, max_lines=1)
    for row in rows:
        row.indent = chip_width
    rows[0].chip = chip
    return rows


def draw_qr(canvas: Canvas, code: str) -> None:
    """The QR code with its quiet zone, on whole pixels per module so that every module
    is the same size (scanners at 150 dpi thank us)."""
    x0, y0, x1, y1 = canvas.region("qr")
    matrix = qr_matrix(code, canvas.template)
    modules = len(matrix)
    module = max(1, min(x1 - x0, y1 - y0) // modules)
    small = Image.new("L", (modules, modules), 255)
    small.putdata([0 if dark else 255 for row in matrix for dark in row])
    side = modules * module
    modules_image = small.resize((side, side), Image.Resampling.NEAREST)
    canvas.image.paste(modules_image, (x0 + (x1 - x0 - side) // 2, y0 + (y1 - y0 - side) // 2))


def draw_code(canvas: Canvas, code: str) -> None:
    """The code in groups of four under the QR code, for typing it in by hand."""
    x0, y0, x1, y1 = canvas.region("code")
    points = canvas.size.type["code"]
    font, (text,) = fit_lines(canvas, codes.display(code), "regular", (points, points * 0.6),
                              x1 - x0, 1)
    put_text(canvas, ((x0 + x1) // 2, (y0 + y1) // 2), text, font,
             canvas.colour("muted", "#555555"), "code", anchor="mm")


def draw_diet_marker(canvas: Canvas) -> None:
    """A small mark for 'has a dietary need': the caterer asks; the badge says no more."""
    x0, y0, x1, y1 = canvas.region("diet")
    marker = canvas.template.text.get("diet_marker", "✱")
    font = canvas.font("bold", min(canvas.pt(canvas.size.type["diet"]), y1 - y0))
    put_text(canvas, ((x0 + x1) // 2, (y0 + y1) // 2), marker, font,
             canvas.colour("muted", "#555555"), "diet", anchor="mm")


# --- what the badge says -------------------------------------------------------------------


def block_start(event: Event, block_id: str) -> str:
    for slot in event.program:
        if slot.kind == "sessions" and slot.block == block_id:
            return slot.start.strftime("%H:%M")
    return ""


def event_date(event: Event, template: Template) -> str:
    """The date in the template's words: 'dinsdag 23 mei 2023'."""
    text = template.text
    weekdays, months = text.get("weekdays"), text.get("months")
    if not weekdays or not months:
        return event.date.isoformat()
    return text.get("date", "{weekday} {day} {month} {year}").format(
        weekday=weekdays[event.date.weekday()], day=event.date.day,
        month=months[event.date.month - 1], year=event.date.year)


# --- colour --------------------------------------------------------------------------------


def header_colours(template: Template, event: Event) -> tuple[str, str]:
    """The header's ground and accent line: the template's, else the event file's."""
    colours = template.colours
    return (colours.get("header", event.colours.get("primary", "#1b3a5c")),
            colours.get("accent", event.colours.get("accent", "#f2a900")))


def flat_colours(event: Event, template: Template) -> list[str]:
    """Every colour a badge paints as an area, not only along an edge: a print palette
    must hold these exactly (paper that is 254 grey instead of white gets dithered)."""
    header, accent = header_colours(template, event)
    colours = [template.colours.get("paper", "#ffffff"), "#ffffff", "#000000", "#1a1a1a",
               template.colours.get("ink", "#1a1a1a"), template.colours.get("muted", "#555555"),
               header, accent, NEUTRAL_BAND]
    for swatch in template.palette:
        colours += [swatch.colour, mix(swatch.colour, ink_on(swatch.colour), PATTERN_TONE)]
    return list(dict.fromkeys(colours))
