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
