"""Reading registration exports: CSV or XLSX in, header mapping, values normalised.

What comes out is a list of `Registration`s (one per usable line) and `RowIssue`s for the
lines that could not be used or that need a look. Nothing here touches the database: the
upsert lives in `kiosk.registrations.importer`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.event import Event
from kiosk.store.attendees import Attendee
from kiosk.store.imports import RowIssue
from kiosk.text import clean, fold, has_controls, strip_controls

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_CELL = 500
# A registration list has hundreds of rows, a big congress a few thousand. The limit keeps
# an import's memory and its write bounded (the wrong export: a million log lines).
MAX_ROWS = 20_000
MAX_LINES = 5 * MAX_ROWS  # lines read, empty ones included (a sheet with a stray far cell)
MAX_COLUMNS = 200
BINARY_NULS = 8  # more NUL bytes than this in the first 4 kB: not a text file
EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]{2,}$")
NOTHING = {"", "-", "geen", "nvt", "n.v.t.", "n.v.t", "nee", "no", "none", "/", "x",
           "geen dieetwensen", "geen allergieen", "neen"}
YES = {"ja", "yes", "y", "j", "x", "1", "true", "waar", "ok", "oui", "v"}
NO = {"nee", "neen", "no", "n", "0", "false", "onwaar", "", "-", "non"}

# Header synonyms, compared after folding and dropping punctuation ("E-mailadres" -> emailadres).
SYNONYMS = {
    "email": ["e-mail", "email", "e-mailadres", "emailadres", "e-mail adres", "email address",
              "e-mail address", "mail", "mailadres"],
    "first_name": ["voornaam", "first name", "firstname", "given name", "prenom", "roepnaam"],
    "last_name": ["familienaam", "achternaam", "naam", "last name", "lastname", "surname",
                  "family name", "nom"],
    "organisation": ["bestuur", "gemeente", "organisatie", "organisation", "organization",
                     "lokaal bestuur", "stad gemeente", "stad of gemeente", "bestuur organisatie",
                     "company", "werkgever"],
    "function": ["functie", "job title", "function", "functietitel", "jobtitel", "rol", "role"],
    "diet": ["dieet", "dieetwensen", "dietary", "diet", "dietary requirements", "dietary needs",
             "voedingswensen", "allergieen", "dieetwensen allergieen", "dieetwensen of allergieen"],
    "comments": ["opmerkingen", "opmerking", "comments", "comment", "remarks", "notes",
                 "vragen of opmerkingen"],
    "note": ["aandacht", "aandachtspunt", "let op", "notitie onthaal", "opmerking onthaal",
             "attention", "note for reception", "reception note"],
}
SESSION_WORDS = {"werksessie", "sessie", "session", "workshop", "werkgroep", "werksessies"}
FIELDS = tuple(SYNONYMS)  # plus session:<block id> and meal:<catering id>


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, no header, no e-mail column)."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)
    # What reading changed or doubts in a row: {row number: [reason, ...]}, for warnings.
    notes: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class Registration:
    row_number: int
    attendee: Attendee
    values: dict[str, str]
    warnings: list[RowIssue] = field(default_factory=list)
    note: str | None = None  # None: the file has no note column (a re-import keeps it)


# --- reading files --------------------------------------------------------------------------


def read_table(data: bytes, filename: str) -> Table:
    """Cells of a CSV or XLSX file; the first non-empty row is the header.

    Rows are read one by one (an XLSX sheet streamed by openpyxl's read-only mode) and the
    reading stops with an error past MAX_ROWS rows, so no file can take the memory of the
    process. Control characters are removed from the cells (with a warning for the row)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"{filename}: bestand is te groot (meer dan 50 MB)")
    notes: dict[int, list[str]] = {}
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(data, filename)
    else:
        rows = _csv_rows(data, filename, notes)
    header: list[str] | None = None
    body: list[tuple[int, list[str]]] = []
    for number, raw in rows:
        if number > MAX_LINES:
            raise ImportFileError(_too_long(filename, f"meer dan {_number(MAX_LINES)} regels "
                                                      "(lege meegeteld)"))
        cells = [clean(strip_controls(c)) for c in raw]
        if not any(cells):
            continue  # empty lines are no rows
        if any(has_controls(c) for c in raw):
            notes.setdefault(number, []).append(CONTROLS_REMOVED)
        if header is None:
            header = cells
        elif len(body) == MAX_ROWS:
            raise ImportFileError(_too_long(filename, f"meer dan {_number(MAX_ROWS)} rijen"))
        else:
            body.append((number, cells))
    if header is None:
        raise ImportFileError(f"{filename}: het bestand bevat geen rijen")
    return Table(header, body, notes)


CONTROLS_REMOVED = "onzichtbare stuurtekens verwijderd: kijk de waarden na"
MIXED_ENCODING = ("in Windows-1252 gelezen terwijl de rest van het bestand UTF-8 is: kijk "
                  "letters met accenten na")


def _too_long(filename: str, what: str) -> str:
    return (f"{filename}: het bestand heeft {what}; een inschrijvingslijst heeft er "
            f"hoogstens {_number(MAX_ROWS)}. Is dit het juiste bestand?")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # 20.000, as a Flemish reader writes it


def _decode(data: bytes) -> tuple[str, set[int]]:
    """The text, and the lines (1 = first) read as Windows-1252 in a file that is UTF-8
    elsewhere: one line pasted from another program must not turn every accent of the
    file into mojibake, nor pass without a word."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), set()
    try:
        return data.decode("utf-8"), set()
    except UnicodeDecodeError:
        pass
    parts, legacy, utf8_accents = [], set(), False
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        try:
            parts.append(line.decode("utf-8"))
            utf8_accents = utf8_accents or not line.isascii()
        except UnicodeDecodeError:  # Belgian Excel's "CSV (gescheiden door lijstscheidingsteken)"
            parts.append(line.decode("cp1252", errors="replace"))
            legacy.add(number)
    return "".join(parts), legacy if utf8_accents else set()


def _csv_rows(data: bytes, filename: str, notes: dict[int, list[str]]) -> Iterator[
        tuple[int, list[str]]]:
    head = data[:4096]
    if head.count(b"\x00") > BINARY_NULS and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(f"{filename}: dit is geen CSV- of XLSX-bestand")
    text, legacy = _decode(data)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    last_line = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if legacy and any(n in legacy for n in range(last_line + 1, reader.line_num + 1)):
                notes.setdefault(number, []).append(MIXED_ENCODING)
            last_line = reader.line_num
            yield number, cells
    except csv.Error as exc:
        raise ImportFileError(f"{filename}: CSV kan niet gelezen worden ({exc})") from exc


def _xlsx_rows(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    import openpyxl  # only XLSX imports pay for loading it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFileError(f"{filename}: XLSX-bestand kan niet geopend worden ({exc})") \
            from exc
    try:
        sheet = book.worksheets[0]
        if sheet.max_row and sheet.max_row > MAX_LINES:  # the sheet says its size: refuse now
            raise ImportFileError(_too_long(filename, f"{_number(sheet.max_row)} regels"))
        # Streamed (read-only), at most MAX_COLUMNS wide: openpyxl pads every row to the
        # sheet's width, and a stray cell in column XFD would make each 16,384 cells long.
        # An unsized sheet (no dimension, as some programs write) is not padded at all.
        width = min(sheet.max_column, MAX_COLUMNS) if sheet.max_column else None
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=width),
                                        start=1):
            yield number, [_xlsx_cell(v) for v in values[:MAX_COLUMNS]]
    finally:
        book.close()


def _xlsx_cell(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


# --- header mapping --------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text).replace("_", " ")).strip()


def _compact(text: str) -> str:
    return _key(text).replace(" ", "")


def map_headers(headers: list[str], event: Event,
                explicit: dict[str, str] | None = None) -> dict[int, str]:
    """Column index -> field name ('email', 'session:voormiddag', 'meal:lunch', ...).

    `explicit` maps header text to a field and wins over recognition. The first column
    recognised as a field wins; later ones for the same field are ignored.
    """
    explicit = {fold(h): f for h, f in (explicit or {}).items()}
    valid = set(FIELDS) | {f"session:{b.id}" for b in event.blocks} | \
        {f"meal:{c.id}" for c in event.catering}
    for header, name in explicit.items():
        if name not in valid:
            raise ImportFileError(f"koppeling '{header}={name}': onbekend veld; kies uit "
                                  + ", ".join(sorted(valid)))
    missing = set(explicit) - {fold(h) for h in headers}
    if missing:
        raise ImportFileError(f"koppeling: kolom niet gevonden: {', '.join(sorted(missing))}")
    mapping: dict[int, str] = {}
    for index, header in enumerate(headers):
        name = explicit.get(fold(header)) or recognise(header, event)
        if name and name not in mapping.values():
            mapping[index] = name
    if "email" not in mapping.values():
        raise ImportFileError(
            "geen kolom met e-mailadressen gevonden; kolommen: " + ", ".join(headers)
            + ". Geef de koppeling op, bv. --map 'Mail deelnemer=email'")
    return mapping


def recognise(header: str, event: Event) -> str | None:
    """The field a column header names, or None."""
    compact = _compact(header)
    for name, synonyms in SYNONYMS.items():
        if compact in {_compact(s) for s in synonyms} or compact == _compact(name):
            return name
    words = _key(header).split()
    if SESSION_WORDS & set(words) or (words and words[0] == "session"):
        padded = f" {' '.join(words)} "
        for block in event.blocks:
            if any(f" {_key(a)} " in padded for a in (block.id, *block.aliases)):
                return f"session:{block.id}"
    for catering in event.catering:
        if compact in {_compact(a) for a in (catering.id, catering.name, *catering.aliases)}:
            return f"meal:{catering.id}"
    return None


# --- rows to registrations ----------------------------------------------------------------------


def parse_rows(table: Table, event: Event, mapping: dict[int, str]) -> tuple[
        list[Registration], list[RowIssue]]:
    """Normalise every row; rejected rows come back as error issues, never dropped."""
    registrations: list[Registration] = []
    errors: list[RowIssue] = []
    for number, cells in table.rows:
        values = {table.headers[i] if i < len(table.headers) else f"kolom {i + 1}": c
                  for i, c in enumerate(cells) if c}
        fields_ = {name: _unescape(cells[i]) if i < len(cells) else ""
                   for i, name in mapping.items()}
        registration, error = _parse_row(number, fields_, values, event)
        if error:
            errors.append(error)
        else:
            registration.warnings.extend(RowIssue(number, "warning", note, "", "", values)
                                         for note in table.notes.get(number, ()))
            registrations.append(registration)
    return registrations, errors


def _unescape(cell: str) -> str:
    """Undo the quote our own export puts before a cell Excel would run as a formula."""
    formula = cell.lstrip("'")[:1] in ("=", "+", "-", "@")
    return cell[1:] if cell[:1] == "'" and formula else cell


def _parse_row(number: int, cells: dict[str, str], values: dict[str, str],
               event: Event) -> tuple[Registration | None, RowIssue | None]:
    email = cells.get("email", "").strip().lower().removeprefix("mailto:")

    def reject(reason: str, field_: str = "", value: str = "") -> tuple[None, RowIssue]:
        # The e-mail goes along: a re-import must not cancel the person of a rejected row.
        usable = email if EMAIL.match(email) and len(email) <= 254 else ""
        return None, RowIssue(number, "error", reason, field_, value, values, usable)

    if not email:
        return reject("e-mailadres ontbreekt", "email")
    if not EMAIL.match(email) or len(email) > 254:
        return reject("ongeldig e-mailadres", "email", email)
    for name, value in cells.items():
        if len(value) > MAX_CELL:
            return reject(f"waarde te lang (meer dan {MAX_CELL} tekens)", name, value[:80])
    if not (cells.get("first_name") or cells.get("last_name")):
        return reject("naam ontbreekt", "first_name")
    registration = Registration(number, Attendee(email=email, source_row=number), values)
    _fill(registration, cells, event)
    return registration, None


def _fill(reg: Registration, cells: dict[str, str], event: Event) -> None:
    a = reg.attendee
    a.first_name, a.last_name = cells.get("first_name", ""), cells.get("last_name", "")
    a.function, a.comments = cells.get("function", ""), cells.get("comments", "")
    reg.note = cells.get("note")
    a.note = reg.note or ""
    a.organisation = cells.get("organisation", "")
    a.bestuur = event.match_bestuur(a.organisation) if a.organisation else None
    if a.organisation and not a.bestuur:
        reg.warnings.append(_warn(reg, "onbekend bestuur: geïmporteerd, maar niet in de "
                                       "lijst van het evenement", "organisation", a.organisation))
    if a.bestuur:
        a.organisation = a.bestuur
    for block in event.blocks:
        text = cells.get(f"session:{block.id}", "")
        theme = event.match_theme(text) if text else None
        if theme:
            a.sessions[block.id] = theme
        elif text and fold(text) not in NOTHING:
            reg.warnings.append(_warn(reg, f"onbekend thema voor {block.name.lower()}: "
                                           "geïmporteerd zonder werksessie",
                                      f"session:{block.id}", text))
    for catering in event.catering:
        key = f"meal:{catering.id}"
        if key in cells:
            a.meals[catering.id] = _yes_no(reg, key, cells[key])
    a.diet = "" if no_diet(cells.get("diet", "")) else cells.get("diet", "")
    a.diets = diet_categories(a.diet, event)


def _yes_no(reg: Registration, field_: str, text: str) -> bool:
    folded = fold(text)
    if folded in YES:
        return True
    if folded in NO:
        return False
    reg.warnings.append(_warn(reg, "niet herkend als ja of nee: als ja geteld", field_, text))
    return True


def _warn(reg: Registration, reason: str, field_: str, value: str) -> RowIssue:
    return RowIssue(reg.row_number, "warning", reason, field_, value, reg.values)


# "Geen allergieën", "geen bijzondere wensen", "none": the form's way of saying nothing.
NO_NEED = re.compile(r"^(geen|nee|neen|no|none|nvt|n\.?v\.?t\.?)\b( (bijzondere |speciale )?"
                     r"(allergie\w*|dieet\w*|wensen|voedingswensen|bijzonderheden|"
                     r"requirements|allergies|dietary \w+))?[ .!]*$")


def no_diet(text: str) -> bool:
    """True when a dietary answer says there is no need at all."""
    folded = fold(text)
    return folded in NOTHING or bool(NO_NEED.match(folded))


def diet_categories(text: str, event: Event) -> list[str]:
    """The event's dietary categories named in a free-text need; ['other'] if none match."""
    if not text or no_diet(text):
        return []
    folded = fold(text)
    found = [d.id for d in event.diets if any(fold(k) in folded for k in d.keywords)]
    return found or ["other"]


def read_registrations(data: bytes, filename: str, event: Event,
                       explicit: dict[str, str] | None = None) -> tuple[
        list[Registration], list[RowIssue], int]:
    """File bytes -> (registrations, rejected rows, number of data rows read)."""
    table = read_table(data, filename)
    mapping = map_headers(table.headers, event, explicit)
    registrations, errors = parse_rows(table, event, mapping)
    return registrations, errors, len(table.rows)


def read_file(path: str | Path) -> bytes:
    """The bytes of an import file, with a clear error when it is missing."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImportFileError(f"{path}: bestand is te groot (meer dan 50 MB)")
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path}: bestand niet gevonden") from None
