"""A consistent copy of the database while the server runs: SQLite's online backup API.

The copy is read in one step inside one read transaction: in WAL mode that blocks no
writer (scans go on), and what is copied is the database as it was at one moment, never
half a scan. The copy is written beside its destination under a temporary name, checked
with `PRAGMA integrity_check`, switched to a single self-contained file (no -wal beside
it), and only then renamed into place: a backup that fails leaves no half file behind
and never replaces a good older one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path


class BackupError(RuntimeError):
    """The copy could not be made; the message says why, in words for the organiser."""


@dataclass(frozen=True)
class Backup:
    path: Path
    size: int  # bytes
    attendees: int
    movements: int
    seconds: float


def backup(source: str | Path, target: str | Path, *, force: bool = False) -> Backup:
    """Copy the database at `source` to `target` (refused if it exists, unless force)."""
    source, target = Path(source), Path(target)
    started = time.perf_counter()
    _check_paths(source, target, force)
    partial = target.with_name(f".{target.name}.part")
    try:
        _copy(source, partial)
        counts = _verify(partial)
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise BackupError(_words(exc, target)) from None
    except OSError as exc:
        raise BackupError(f"{target}: kopie kan niet geschreven worden ({exc.strerror})") \
            from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return Backup(target, target.stat().st_size, *counts, time.perf_counter() - started)


def _check_paths(source: Path, target: Path, force: bool) -> None:
    if not source.is_file():
        raise BackupError(f"{source}: geen database gevonden (kies ze met --db of KIOSK_DB)")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError(f"{target}: dat is de database zelf; kies een ander bestand")
    if target.is_dir():
        raise BackupError(f"{target}: is een map; geef een bestandsnaam, bv. "
                          f"{target / 'kiosk-backup.db'}")
    if target.exists() and not force:
        raise BackupError(f"{target} bestaat al; kies een nieuwe naam of geef --force om "
                          "het te overschrijven")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent}: deze map bestaat niet")


def _copy(source: Path, partial: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    # Read-only: a backup can never change the live database, nor create it.
    live = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    copy = sqlite3.connect(partial)
    try:
        live.backup(copy)  # all pages in one step: one consistent snapshot
        copy.execute("PRAGMA journal_mode = DELETE")  # one file, nothing beside it
    finally:
        copy.close()
        live.close()


def _verify(path: Path) -> tuple[int, int]:
    copy = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = copy.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            raise BackupError(f"de kopie is niet in orde ({result[0][0]}); de database zelf "
                              "kan beschadigd zijn: stop niet met scannen, en vraag hulp")
        return tuple(copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                     for table in ("attendees", "movements"))
    finally:
        copy.close()


def _words(exc: sqlite3.Error, target: Path) -> str:
    text = str(exc)
    if "full" in text:
        return f"{target}: de schijf is vol; kies een andere plaats (een USB-stick)"
    if "readonly" in text or "unable to open" in text:
        return f"{target}: hier mag niet geschreven worden; kies een andere map"
    if "not a database" in text:
        return "de database is geen SQLite-bestand (verkeerde --db?)"
    return f"kopie mislukt: {text}"
