"""Small text helpers shared by import, search and matching."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
                         "\u2019": "'", "\u00a0": " "})


def strip_accents(text: str) -> str:
    """'Çelik Zoë' -> 'Celik Zoe' (decompose, drop the combining marks)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)  # imports fold the same theme and bestuur names thousands of times
def fold(text: str) -> str:
    """A comparison key: no accents, lower case, one space between words, plain dashes."""
    return _SPACE.sub(" ", strip_accents(text).translate(_DASHES).casefold()).strip()


def clean(value: object) -> str:
    """A cell as trimmed text with single spaces; None and empty cells become ''."""
    if value is None:
        return ""
    return _SPACE.sub(" ", str(value).replace("\u00a0", " ")).strip()


def plural(count: int, one: str, many: str) -> str:
    """'1 waarschuwing', '2 waarschuwingen', '0 waarschuwingen'."""
    return f"{count} {one if count == 1 else many}"


# Control characters (BEL, ESC, NUL...) and lone surrogates: nobody types them on purpose,
# spreadsheets refuse them (openpyxl raises on export) and a NUL ends a C string. Tab, line
# feed and carriage return are ordinary white space.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def has_surrogates(text: str) -> bool:
    """Lone surrogates ('\\ud800'): valid in JSON, but no text UTF-8 can hold."""
    return bool(_SURROGATES.search(text))


def has_controls(text: str) -> bool:
    """Control characters or lone surrogates: text to refuse at the door."""
    return bool(_CONTROLS.search(text) or _SURROGATES.search(text))


def strip_controls(text: str) -> str:
    """The text without control characters; a lone surrogate becomes U+FFFD (the
    replacement character), so nothing that can be read is lost."""
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))
