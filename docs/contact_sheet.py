"""Compose the device matrix's Dutch screenshots into one contact sheet, docs/contact-sheet.png.

One row per page, one column per screen size, each picture scaled to the same height and
labelled; plus the pictures the README shows at full size (the host page on a phone and on
a tablet, the kitchen at 1280x800 and on a TV). The screenshots come from the device matrix:

    CI=true .venv/bin/python -m pytest -q -m devices tests/browser/test_devices.py
    .venv/bin/python docs/contact_sheet.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.test_devices import OUT, PAGES, SIZES  # noqa: E402

FONT = ROOT / "badges" / "fonts" / "DejaVuSans-Bold.ttf"
HEIGHT = 220  # px: every picture's height on the sheet
GAP = 14
LABEL = 150  # px: the column with the page names
README_SHOTS = {"host-nl-390x844.png": "host-phone.png",
                "kitchen-nl-1280x800.png": "kitchen-1280x800.png",
                "host-nl-1024x768.png": "screen-host.png",
                "kitchen-nl-1920x1080.png": "screen-caterer.png"}


def thumbnail(path: Path) -> Image.Image:
    picture = Image.open(path).convert("RGB")
    width = round(picture.width * HEIGHT / picture.height)
    return picture.resize((width, HEIGHT), Image.LANCZOS)


def compose(source: Path, lang: str = "nl") -> Image.Image:
    """The sheet: a header row with the sizes, then a row per page."""
    widths = [round(w * HEIGHT / h) for w, h in SIZES]
    sheet_width = LABEL + sum(widths) + GAP * (len(SIZES) + 1)
    head = 34
    sheet = Image.new("RGB", (sheet_width, head + len(PAGES) * (HEIGHT + GAP) + GAP), "white")
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(str(FONT), 18)
    x = LABEL + GAP
    for (w, h), width in zip(SIZES, widths, strict=True):
        draw.text((x, 8), f"{w}×{h}", fill="#1b3a5c", font=font)
        x += width + GAP
    for row, name in enumerate(PAGES):
        y = head + row * (HEIGHT + GAP)
        draw.text((GAP, y + HEIGHT // 2 - 10), name, fill="#1a1a1a", font=font)
        x = LABEL + GAP
        for (w, h), width in zip(SIZES, widths, strict=True):
            path = source / f"{name}-{lang}-{w}x{h}.png"
            if path.exists():
                sheet.paste(thumbnail(path), (x, y))
                draw.rectangle((x - 1, y - 1, x + width, y + HEIGHT), outline="#9aa6b2")
            else:
                draw.text((x + 8, y + 8), "missing", fill="#b3261e", font=font)
            x += width + GAP
    return sheet


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=OUT, help="the matrix's screenshots")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    options = parser.parse_args()
    if not any(options.source.glob("*-nl-*.png")):
        parser.error(f"no screenshots in {options.source}: run the device matrix first")
    sheet = compose(options.source)
    target = options.out / "contact-sheet.png"
    sheet.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    print(f"{target} ({sheet.width}x{sheet.height})")
    for shot, name in README_SHOTS.items():
        shutil.copyfile(options.source / shot, options.out / name)
        print(options.out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
