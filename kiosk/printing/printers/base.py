"""What every printer driver shares: the errors, the answer, checking settings, and the
label sizes a badge is drawn in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

LABEL_SIZES = ("label62x100", "label62x29")
ADDRESS = re.compile(r"^(tcp://[A-Za-z0-9.\-\[\]:]+|file:///[\w./\-]+|usb://[\w:./\-]+)$")


class PrinterSettingsError(ValueError):
    """A printer's settings cannot work (unknown option, malformed address)."""


class PrintFailed(Exception):
    """The printer did not print: its own words (or ours, when it said nothing)."""


@dataclass(frozen=True)
class Sent:
    """A print the printer confirmed; `printer_job` is its own id for it, if it has one."""
    printer_job: str = ""
    detail: str = ""


def choice(settings: dict[str, Any], key: str, options: tuple, default: Any) -> Any:
    value = settings.get(key, default)
    if value not in options:
        raise PrinterSettingsError(f"{key}: {value!r} is geen van {', '.join(map(str, options))}")
    return value


def text(settings: dict[str, Any], key: str, pattern: str, example: str,
         default: str | None = None) -> str | None:
    value = settings.get(key, default)
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(pattern, value):
        raise PrinterSettingsError(f"{key}: {value!r} is ongeldig (bv. {example})")
    return value


def address(settings: dict[str, Any], example: str) -> str:
    value = settings.get("address")
    if not isinstance(value, str) or not ADDRESS.match(value):
        raise PrinterSettingsError(f"address: {value!r} is ongeldig (bv. {example})")
    return value


def number(settings: dict[str, Any], key: str, low: float, high: float, default: float) -> float:
    value = settings.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise PrinterSettingsError(f"{key}: {value!r} ligt niet tussen {low:g} en {high:g}")
    return value


def only(settings: dict[str, Any], known: tuple[str, ...]) -> None:
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise PrinterSettingsError(f"onbekende instelling(en): {', '.join(unknown)}; "
                                   f"mogelijk: {', '.join(known)}")
