"""Build registration files in the shapes organisers send them, for the import tests."""

from __future__ import annotations

import csv
import io

import openpyxl

from tests.conftest import SAMPLE

ENGLISH = ["First name", "Last name", "Email", "Organisation", "Job title", "Session 1",
           "Session 2", "Lunch", "Dietary requirements", "Networking", "Comments"]


def sample_rows() -> tuple[list[str], list[list[str]]]:
    """The shared sample as (header, rows)."""
    text = SAMPLE.read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    return header, rows


def to_csv(header: list[str], rows: list[list[str]], *, delimiter: str = ";",
           encoding: str = "utf-8", bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return (b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode(encoding)


def to_xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def english(rows: list[list[str]]) -> list[list[str]]:
    """Yes/no in English, as an English form would write them."""
    swap = {"ja": "yes", "nee": "no"}
    return [[swap.get(cell, cell) for cell in row] for row in rows]
