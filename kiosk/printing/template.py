"""The badge template: sizes, regions, type sizes, colours, fonts and print layouts, read
from `badges/template.toml` so an organiser changes the look without touching Python.

Errors name the file and the key (`sizes.a6.regions.qr`), and a missing font file is
reported as such instead of Pillow's bare `OSError: cannot open resource`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import ImageFont

# The repository's badges/ folder: kiosk/printing/template.py -> the project root.
DEFAULT_TEMPLATE = Path(__file__).resolve().parents[2] / "badges" / "template.toml"
BUNDLED_FONTS = DEFAULT_TEMPLATE.parent / "fonts"
REGIONS = ("header", "band", "text", "sessions", "qr", "code", "diet")
REQUIRED_REGIONS = ("text", "qr")  # a label strip may leave the others out
# The type sizes each region needs: a size without sessions needs no session type.
FITTED_TYPE = {"text": ("first_name", "last_name", "bestuur", "function"),
               "sessions": ("session",)}
FIXED_TYPE = {"header": ("event", "date"), "band": ("band",), "sessions": ("block",),
              "code": ("code",), "diet": ("diet",)}
PATTERNS = ("none", "stripes", "backslashes", "dots", "grid", "hlines", "vlines")
FONT_ROLES = ("regular", "bold", "name")
EC_LEVELS = ("L", "M", "Q", "H")


class TemplateError(ValueError):
    """The badge template is missing, malformed, or points at a font that is not there."""


Region = tuple[float, float, float, float]  # x, y, width, height in mm


@dataclass(frozen=True)
class BadgeSize:
    name: str
    width: float
    height: float
    regions: dict[str, Region]  # only the parts this size has (text and qr at least)
    type: dict[str, Any]  # point size, or (largest, smallest) for fitted text
    monochrome: bool = False  # a label printer's black on white: no colour to tell apart


@dataclass(frozen=True)
class Layout:
    name: str
    badge: str
    page: tuple[float, float] | None  # None: the page is the badge
    margin: float = 0.0
    gap: float = 0.0
    crop_mark: float = 0.0
    per_file: int = 1000


@dataclass(frozen=True)
class Swatch:
    colour: str
    pattern: str


@dataclass(frozen=True)
class Template:
    fonts: dict[str, Path]
    colours: dict[str, str]
    qr_error_correction: str
    qr_quiet_zone: int
    text: dict[str, Any]
    palette: tuple[Swatch, ...]
    sizes: dict[str, BadgeSize]
    layouts: dict[str, Layout]
    logo: Path | None = None  # drawn at the right of the header when set
    source: str = ""
    _fonts: dict = field(default_factory=dict, repr=False, compare=False)
    tiles: dict = field(default_factory=dict, repr=False, compare=False)  # see badge.cached

    def font(self, role: str, size_px: int) -> ImageFont.FreeTypeFont:
        """The font for a role ('regular', 'bold', 'name') at a pixel size, cached."""
        key = (role, size_px)
        if key not in self._fonts:
            self._fonts[key] = ImageFont.truetype(str(self.fonts[role]), size_px)
        return self._fonts[key]

    def swatch(self, theme_number: int) -> Swatch:
        """The colour and pattern of the Nth theme (1-based), wrapping round the palette."""
        return self.palette[(theme_number - 1) % len(self.palette)]


@lru_cache(maxsize=8)
def load_template(path: str | Path | None = None) -> Template:
    """Read and check a badge template; the bundled `badges/template.toml` when None."""
    path = Path(path) if path else DEFAULT_TEMPLATE
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TemplateError(f"{path}: badge template not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TemplateError(f"{path}: not a valid TOML file: {exc}") from None
    try:
        return _build(raw, path)
    except TemplateError as exc:
        raise TemplateError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise TemplateError(f"{path}: malformed template ({exc!r})") from None


def _build(raw: dict, path: Path) -> Template:
    qr = raw.get("qr", {})
    level = str(qr.get("error_correction", "Q")).upper()
    if level not in EC_LEVELS:
        raise TemplateError(f"qr.error_correction: {level!r} is not one of L, M, Q, H")
    sizes = {name: _size(name, table) for name, table in _table(raw, "sizes").items()}
    layouts = {name: _layout(name, table, sizes) for name, table in
               _table(raw, "layouts").items()}
    palette = tuple(_swatch(i, entry) for i, entry in enumerate(raw.get("palette", [])))
    if not palette:
        raise TemplateError("palette: at least one [[palette]] entry is required")
    return Template(
        fonts=_fonts(raw, path.parent), colours=dict(raw.get("colours", {})),
        qr_error_correction=level, qr_quiet_zone=int(qr.get("quiet_zone", 4)),
        text=dict(raw.get("text", {})), palette=palette, sizes=sizes, layouts=layouts,
        logo=_logo(raw, path.parent), source=str(path))


def _table(raw: dict, key: str) -> dict:
    table = raw.get(key)
    if not isinstance(table, dict) or not table:
        raise TemplateError(f"{key}: at least one [{key}.NAME] table is required")
    return table


def _fonts(raw: dict, folder: Path) -> dict[str, Path]:
    fonts = {}
    for role in FONT_ROLES:
        value = raw.get("fonts", {}).get(role)
        if not value:
            raise TemplateError(f"fonts.{role}: a font file is required")
        font_path = (folder / value).resolve()
        if not font_path.is_file():  # a template copied elsewhere: the bundled font by name
            font_path = BUNDLED_FONTS / Path(value).name
        if not font_path.is_file():
            raise TemplateError(f"fonts.{role}: font file {(folder / value).resolve()} not "
                                f"found (nor {Path(value).name} among the bundled fonts)")
        fonts[role] = font_path
    return fonts


def _logo(raw: dict, folder: Path) -> Path | None:
    value = raw.get("logo")
    if not value:
        return None
    logo = (folder / value).resolve()
    if not logo.is_file():
        raise TemplateError(f"logo: image file {logo} not found")
    return logo


def _size(name: str, table: dict) -> BadgeSize:
    where = f"sizes.{name}"
    regions = table.get("regions", {})
    for region in REGIONS:
        box = regions.get(region)
        if box is None and region not in REQUIRED_REGIONS:
            continue
        if not (isinstance(box, list) and len(box) == 4
                and all(isinstance(v, int | float) for v in box)):
            raise TemplateError(f"{where}.regions.{region}: expected [x, y, width, height]")
    type_sizes = dict(table.get("type", {}))
    present = [r for r in REGIONS if r in regions]
    for key in (k for r in present for k in FITTED_TYPE.get(r, ())):
        value = type_sizes.get(key)
        if not (isinstance(value, list) and len(value) == 2 and value[0] >= value[1] > 0):
            raise TemplateError(f"{where}.type.{key}: expected [largest, smallest] points")
        type_sizes[key] = (float(value[0]), float(value[1]))
    for key in (k for r in present for k in FIXED_TYPE.get(r, ())):
        if not isinstance(type_sizes.get(key), int | float):
            raise TemplateError(f"{where}.type.{key}: expected a point size")
    return BadgeSize(name, float(table["width"]), float(table["height"]),
                     {k: tuple(map(float, regions[k])) for k in present}, type_sizes,
                     bool(table.get("monochrome", False)))


def _layout(name: str, table: dict, sizes: dict[str, BadgeSize]) -> Layout:
    badge = table.get("badge")
    if badge not in sizes:
        raise TemplateError(f"layouts.{name}.badge: no badge size {badge!r}")
    page = table.get("page")
    if page is not None and not (isinstance(page, list) and len(page) == 2):
        raise TemplateError(f"layouts.{name}.page: expected [width, height]")
    return Layout(name, badge, tuple(map(float, page)) if page else None,
                  float(table.get("margin", 0)), float(table.get("gap", 0)),
                  float(table.get("crop_mark", 0)), int(table.get("per_file", 1000)))


def _swatch(index: int, entry: dict) -> Swatch:
    colour, pattern = entry.get("colour", ""), entry.get("pattern", "none")
    if not (isinstance(colour, str) and len(colour) == 7 and colour.startswith("#")):
        raise TemplateError(f"palette[{index}].colour: expected \"#rrggbb\", got {colour!r}")
    if pattern not in PATTERNS:
        raise TemplateError(f"palette[{index}].pattern: {pattern!r} is not one of "
                            f"{', '.join(PATTERNS)}")
    return Swatch(colour, pattern)
