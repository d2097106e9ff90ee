"""`make bench`: every benchmark in one table, each figure beside its floor (the same work's
least possible cost, or a bare endpoint's rate, measured in the same run) and its target.

    .venv/bin/python bench/table.py [--quick] [--only search,headcounts] [--json out.json]
    make bench            # the full run (~15 minutes on the 2-core machine)
    make bench QUICK=1    # a fast pass: smaller sizes, one run each (~3 minutes)

Each bench module exposes `measure(quick: bool = False) -> list[dict]` (rows with the keys
figure, value, unit, floor, target; bench/_table.py) and keeps its own command line for
the details. Every module takes the medians of its own runs. What a module prints while
it measures goes to stderr; the table goes to stdout. The machine's load average is
printed before and after: on a machine shared with other work, figures move with it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import json
import os
import platform
import re
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# In the order of a day: the desk's search, the screens' snapshot, scans, the screens'
# pushes, several workers (bench/bench_workers.py, when it is there), the import, badges.
MODULES = ["search", "headcounts", "scans", "live", "workers", "import", "badges"]
OPTIONAL = {"workers"}


def collect(names: list[str], quick: bool) -> list[dict]:
    rows = []
    for name in names:
        try:
            module = importlib.import_module(f"bench.bench_{name}")
        except ModuleNotFoundError as exc:
            if name in OPTIONAL and exc.name == f"bench.bench_{name}":
                print(f"bench_{name}: not there, left out", file=sys.stderr)
                continue
            raise
        started = time.perf_counter()
        print(f"--- bench_{name} ...", file=sys.stderr, flush=True)
        try:
            with contextlib.redirect_stdout(sys.stderr):
                found = module.measure(quick=quick)
        except Exception as exc:  # one broken benchmark must not hide the others' rows
            found = [{"figure": f"bench_{name}: FAILED ({type(exc).__name__}: {exc})"[:110],
                      "value": None, "unit": "", "floor": None, "target": ""}]
        print(f"--- bench_{name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
        rows += found
    return rows


def number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2 if abs(value) >= 0.1 \
        else 3
    return f"{value:,.{digits}f} {unit}".strip()


_TARGET = re.compile(r"^(<=|>=|<|>)\s*([\d,.]+)\s*(x floor)?")


def verdict(row: dict) -> str:
    """'met' or 'MISSED' for a simple target ('< 10 ms', '>= 500 /s', '<= 1.5x floor')."""
    found = _TARGET.match(row.get("target") or "")
    if not found or row["value"] is None:
        return ""
    op, limit, of_floor = found.group(1), float(found.group(2).replace(",", "")), found.group(3)
    if of_floor:
        if not row["floor"]:
            return ""
        limit *= row["floor"]
    value = row["value"]
    met = {"<": value < limit, "<=": value <= limit, ">": value > limit,
           ">=": value >= limit}[op]
    return "met" if met else "MISSED"


def render(rows: list[dict]) -> str:
    head = ("figure", "value", "floor", "x floor", "target", "")
    lines = []
    for r in rows:
        ratio = (number(r["value"] / r["floor"], "x").replace(" ", "")
                 if r["value"] is not None and r["floor"] else "")
        lines.append((r["figure"], number(r["value"], r["unit"]),
                      number(r["floor"], r["unit"]) if r["floor"] is not None else "",
                      ratio, r.get("target") or "", verdict(r)))
    widths = [max(len(str(line[i])) for line in [head, *lines]) for i in range(len(head))]
    out = []
    for n, line in enumerate([head, *lines]):
        cells = [str(c).ljust(w) if i in (0, 4, 5) else str(c).rjust(w)
                 for i, (c, w) in enumerate(zip(line, widths, strict=True))]
        out.append("| " + " | ".join(cells) + " |")
        if n == 0:
            out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(out)


def machine() -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs, Python {platform.python_version()}, SQLite "
            f"{sqlite3.sqlite_version}, load average {load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    parser.add_argument("--only", help=f"comma-separated, of: {','.join(MODULES)}")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    names = args.only.split(",") if args.only else MODULES
    unknown = sorted(set(names) - set(MODULES))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    before, started = machine(), time.perf_counter()
    rows = collect(names, args.quick)
    print(f"make bench{' QUICK=1' if args.quick else ''}, "
          f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
          f"{time.perf_counter() - started:.0f} s")
    print(f"before: {before}\nafter:  {machine()}\n")
    print(render(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
