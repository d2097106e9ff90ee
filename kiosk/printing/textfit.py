"""Fitting text into a width: shrink to fit one line, then wrap onto two, then (the last
resort) shorten with an ellipsis. Fonts come from a `sized(px)` callable, so any caller
with its own font cache (a badge, a sheet) can use it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from PIL import ImageFont

ELLIPSIS = "…"
Font = ImageFont.FreeTypeFont
Sized = Callable[[int], Font]  # a font of the wanted family at a pixel size


def text_width(font: Font, text: str) -> int:
    """The width text needs: its advance plus the ink of an end glyph that reaches past
    it (the bold 'J' starts left of the pen; a caller drawing at x shifts it back in)."""
    if not text:
        return 0
    return int(font.getlength(text) + overhang(font, text[0]) + overhang(font, text[-1], 1))


@lru_cache(maxsize=4096)
def overhang(font: Font, glyph: str, side: int = 0) -> int:
    """How far a glyph's ink reaches left of its pen (side 0) or right of its advance
    (side 1); measured once per font and glyph, because getbbox is slow."""
    left, _, right, _ = font.getbbox(glyph, anchor="ls")
    return max(0, int(-left)) if side == 0 else max(0, int(right - font.getlength(glyph)))


def line_height(font: Font) -> int:
    ascent, descent = font.getmetrics()
    return ascent + descent


def largest_fitting(sized: Sized, texts: list[str], largest: int, smallest: int,
                    width: int) -> int | None:
    """The largest pixel size in [smallest, largest] at which every text fits `width`."""
    widest = max(text_width(sized(largest), t) for t in texts)
    size = largest if widest <= width else int(largest * width / widest)
    while size >= smallest:  # width is nearly linear in size; hinting may need a step
        if max(text_width(sized(size), t) for t in texts) <= width:
            return size
        size -= 1
    return None


def best_split(font: Font, text: str) -> list[str] | None:
    """Two lines with the shorter longest line: at a space, after a hyphen, or - for one
    long word - anywhere with a hyphen added."""
    candidates = [[text[:i], text[i + 1:]] for i, ch in enumerate(text) if ch == " "]
    candidates += [[text[:i + 1], text[i + 1:]] for i, ch in enumerate(text[:-1]) if ch == "-"]
    if not candidates:
        candidates = [[text[:i] + "-", text[i:]] for i in range(2, len(text) - 1)]
    candidates = [[a.strip(), b.strip()] for a, b in candidates if a.strip() and b.strip()]
    if not candidates:
        return None
    return min(candidates, key=lambda pair: max(text_width(font, p) for p in pair))


def ellipsize(font: Font, text: str, width: int) -> str:
    """`text` cut with an ellipsis so that it fits `width`."""
    if text_width(font, text) <= width:
        return text
    while text and text_width(font, text + ELLIPSIS) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS if text else ""


def fit_lines(sized: Sized, text: str, largest: int, smallest: int, width: int,
              max_lines: int = 2) -> tuple[Font, list[str]]:
    """The font and lines for `text` in `width` pixels: the largest size that fits one
    line; below `smallest`, two balanced lines at the largest size that fits them; and
    if even that fails, the smallest size with each line ellipsized."""
    size = largest_fitting(sized, [text], largest, smallest, width)
    if size:
        return sized(size), [text]
    lines = best_split(sized(largest), text) if max_lines > 1 else None
    if lines:
        size = largest_fitting(sized, lines, largest, smallest, width)
        if size:
            return sized(size), lines
    font = sized(smallest)
    return font, [ellipsize(font, line, width) for line in (lines or [text])]
