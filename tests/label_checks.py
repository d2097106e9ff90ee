"""Reading printer output back: Brother raster through brother_ql's own analyser, ZPL
through a small parser of its commands."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

from PIL import Image


def analyse_raster(data: bytes, folder: Path) -> tuple[list[Image.Image], object]:
    """The pages brother_ql's analyser (BrotherQLReader, what `brother_ql analyse` runs)
    decodes from raster instructions, and the reader with what it found (media size)."""
    from brother_ql.reader import BrotherQLReader

    reader = BrotherQLReader(io.BufferedReader(io.BytesIO(data)))
    reader.filename_fmt = str(folder / "label{counter:04d}.png")
    here = os.getcwd()
    os.chdir(folder)
    try:
        reader.analyse()
    finally:
        os.chdir(here)
    pages = [Image.open(path).convert("L") for path in sorted(folder.glob("label*.png"))]
    return pages, reader


def zpl_labels(text: str) -> list[list[tuple[str, str]]]:
    """Each ^XA…^XZ label as its commands in order: [("FO", "32,124"), ("A0", "N,68,68"),
    ("FD", "…"), …]. Field data runs to the next ^FS, as the printer reads it."""
    labels = []
    for body in re.findall(r"\^XA(.*?)\^XZ", text, flags=re.S):
        commands, rest = [], body
        while "^" in rest:
            rest = rest[rest.index("^") + 1:]
            name = rest[:2]
            if name == "FD":
                data, _, rest = rest[2:].partition("^FS")
                commands += [("FD", data), ("FS", "")]
                continue
            end = rest.find("^", 2)
            value = rest[2:end if end >= 0 else None].strip()
            commands.append((name, value))
        labels.append(commands)
    return labels


def unhex(data: str, indicator: str = "_") -> str:
    """A ^FH field's text: `_XX` is the character 0xXX (what kiosk escapes is ASCII)."""
    return re.sub(rf"{re.escape(indicator)}([0-9A-Fa-f]{{2}})",
                  lambda m: chr(int(m.group(1), 16)), data)


def fields(label: list[tuple[str, str]]) -> list[dict]:
    """Each field (^FO … ^FS) with its commands and its data decoded."""
    found, current = [], {}
    for name, value in label:
        if name == "FO":
            current = {"FO": value}
        elif name == "FS":
            if "FD" in current:
                data = current["FD"]
                current["text"] = unhex(data) if "FH" in current else data
                found.append(current)
            current = {}
        else:
            current[name] = value
    return found
