"""The limits and defences of issue 11, measured: the import's row limit (time and peak
memory to read a file at the limit, and to refuse one far past it), the longest write lock
an import holds (batches against one transaction), the cost of the JSON depth check, how
fast wrong tokens are held back, and a backup. Prints one table.

    .venv/bin/python bench/bench_defences.py [--rows 10000]

Each figure is measured in a child process of its own where memory matters (peak RSS).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.event import load_event  # noqa: E402
from kiosk.registrations import importer, reading  # noqa: E402
from kiosk.store import connect  # noqa: E402
from kiosk.store import connection as store_connection  # noqa: E402


def csv_rows(n: int) -> bytes:
    lines = ["Voornaam;Familienaam;E-mailadres;Bestuur;Functie;Werksessie voormiddag;"
             "Werksessie namiddag;Lunch;Dieetwensen;Netwerkmoment;Opmerkingen"]
    lines += [f"Voor{i};Naam{i};p{i}@lier.be;Lier;Adviseur;Mobiliteit;Economie;ja;;ja;"
              for i in range(n)]
    return ("\r\n".join(lines) + "\r\n").encode()


def xlsx_rows(n: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Voornaam", "Familienaam", "E-mailadres", "Bestuur"])
    for i in range(n):
        sheet.append([f"Voor{i}", f"Naam{i}", f"p{i}@lier.be", "Lier"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def child_dry_run(path: str) -> None:
    """In a child: a dry-run import of `path`; prints seconds, peak RSS (MB), outcome."""
    started = time.perf_counter()
    db = connect(Path(tempfile.mkdtemp()) / "k.db")
    try:
        plan = importer.import_registrations(db, load_event(), Path(path).read_bytes(),
                                             Path(path).name, dry_run=True)
        outcome = f"{plan.counts()['added']} rows read"
    except reading.ImportFileError as exc:
        outcome = "refused: " + str(exc).split(": ", 1)[1][:48]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps([time.perf_counter() - started, peak, outcome]))


def dry_run(data: bytes, name: str) -> tuple[float, float, str]:
    folder = Path(tempfile.mkdtemp())
    (folder / name).write_bytes(data)
    out = subprocess.run([sys.executable, __file__, "--child", str(folder / name)],
                         capture_output=True, text=True, check=True).stdout
    return tuple(json.loads(out.splitlines()[-1]))


def longest_lock(rows: int, batch: int) -> tuple[float, float]:
    """(longest transaction, whole write) of an import of `rows` new people."""
    db = connect(Path(tempfile.mkdtemp()) / "k.db")
    held: list[float] = []
    original = store_connection.transaction

    def timed(database):
        class Timed:
            def __enter__(self):
                self.inner = original(database)
                self.started = time.perf_counter()
                return self.inner.__enter__()

            def __exit__(self, *exc):
                result = self.inner.__exit__(*exc)
                held.append(time.perf_counter() - self.started)
                return result
        return Timed()

    importer.transaction, importer.BATCH_ROWS = timed, batch
    started = time.perf_counter()
    try:
        importer.import_registrations(db, load_event(), csv_rows(rows), "a.csv")
    finally:
        importer.transaction, importer.BATCH_ROWS = original, 500
    return max(held), time.perf_counter() - started


def depth_check() -> tuple[float, float]:
    """Microseconds for json_body's nesting count: a scan body, a 1,000-deep body."""
    from kiosk.web.jsonapi import _nesting

    scan = json.dumps({"code": "A" * 16, "location": "onthaal", "scan_id": "x" * 36}).encode()
    deep = b"[" * 1000 + b"]" * 1000

    def per_call(body: bytes) -> float:
        runs = 2000
        started = time.perf_counter()
        for _ in range(runs):
            _nesting(body)
        return (time.perf_counter() - started) / runs * 1e6
    return per_call(scan), per_call(deep)


def guesses(limit: int = 20, tries: int = 200) -> tuple[int, float]:
    """Wrong Bearer tokens from one address: how many get a 401 (the rest 429), and the
    median time of an answer."""
    from kiosk import create_app

    app = create_app({"DATABASE": str(Path(tempfile.mkdtemp()) / "k.db"),
                      "SECRET_KEY": "bench", "TESTING": True, "AUTH_FAILURES": limit})
    client, answers, times = app.test_client(), [], []
    for n in range(tries):
        started = time.perf_counter()
        answers.append(client.get("/api/me", headers={"Authorization": f"Bearer g{n}"})
                       .status_code)
        times.append(time.perf_counter() - started)
    return answers.count(401), statistics.median(times) * 1000


def backup_time(rows: int) -> tuple[float, float]:
    from kiosk.store.backup import backup

    folder = Path(tempfile.mkdtemp())
    db = connect(folder / "k.db")
    importer.import_registrations(db, load_event(), csv_rows(rows), "a.csv")
    made = backup(folder / "k.db", folder / "kopie.db")
    return made.seconds, made.size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child_dry_run(args.child)
        return
    table: list[tuple[str, str]] = []
    limit = reading.MAX_ROWS
    for label, data, name in [
        (f"dry run, CSV of {limit:,} rows (the limit)", csv_rows(limit), "a.csv"),
        (f"dry run, XLSX of {limit:,} rows (the limit)", xlsx_rows(limit), "a.xlsx"),
        ("dry run, XLSX of 200,000 rows (refused)", xlsx_rows(200_000), "b.xlsx"),
    ]:
        seconds, peak, outcome = dry_run(data, name)
        table.append((f"{label}, {len(data) / 1e6:.1f} MB",
                      f"{seconds:.2f} s, peak RSS {peak:.0f} MB, {outcome}"))
    for batch in (500, 10**9):
        held, whole = longest_lock(args.rows, batch)
        what = "500 a batch" if batch == 500 else "in one transaction"
        table.append((f"import of {args.rows:,} new rows, {what}",
                      f"longest write lock {held * 1000:.0f} ms, writing {whole:.2f} s"))
    scan, deep = depth_check()
    table.append(("JSON nesting check", f"scan body {scan:.1f} µs, 1,000 deep {deep:.0f} µs"))
    allowed, median = guesses()
    table.append(("200 wrong tokens from one address", f"{allowed} answered 401, the rest "
                                                        f"429; median {median:.2f} ms"))
    seconds, size = backup_time(args.rows)
    table.append((f"backup of {args.rows:,} attendees", f"{seconds:.2f} s, {size:.1f} MB"))
    width = max(len(k) for k, _ in table)
    print(f"{'what':<{width}}  figure")
    for key, value in table:
        print(f"{key:<{width}}  {value}")
    print(f"load average {' '.join(f'{x:.2f}' for x in __import__('os').getloadavg())}")


if __name__ == "__main__":
    main()
