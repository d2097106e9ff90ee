"""Badge printing benchmark: `python -m kiosk badges` for 400 registrations, as the organiser
runs it (a fresh process: start-up, database, a 300 dpi PNG per attendee and the PDF).
Target for the A4 sheets: < 10 s and < 300 MB peak memory on a 2-core machine.

    .venv/bin/python bench/bench_badges.py [--people 400] [--layouts a4,cr80,a6] [--repeat 3]

Each run is its own process; its peak resident memory comes from the kernel (wait4). The
table shows the fastest of the repeats (the least disturbed by other work on the machine)
and the largest peak; the load average says how busy the machine was.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.event import load_event  # noqa: E402
from kiosk.registrations.demo import DIETS, FIRST, FUNCTIONS, HEADER, LAST  # noqa: E402
from kiosk.registrations.importer import import_registrations  # noqa: E402
from kiosk.store import connect  # noqa: E402

TARGET = {"a4": (10.0, 300)}  # seconds, MB: the target, for 400 badges


def make_csv(n: int, seed: int = 400) -> bytes:
    """n fictional registrations: demo names, every theme and bestuur, some diets."""
    event, rng = load_event(), random.Random(seed)
    themes, besturen = [t.name for t in event.themes], [b.name for b in event.besturen]
    lines = [";".join(HEADER)]
    for i in range(n):
        bestuur = rng.choice(besturen)
        diet = rng.choices([d for d, _ in DIETS], [w for _, w in DIETS])[0]
        lines.append(";".join([rng.choice(FIRST), rng.choice(LAST), f"p{i}@bench.be", bestuur,
                               rng.choice(FUNCTIONS), rng.choice(themes), rng.choice(themes),
                               "ja", diet, "ja", ""]))
    return ("\ufeff" + "\r\n".join(lines)).encode("utf-8")


def run_badges(db: Path, out: Path, layout: str) -> tuple[float, float, int]:
    """Wall time (s), CPU time (s) and peak RSS (MB) of one `badges` command in its own
    process. CPU time is the steadier figure on a machine shared with other work."""
    from bench._table import run_measured

    cmd = [sys.executable, "-m", "kiosk", "--db", str(db), "badges", "--out", str(out),
           "--layout", layout]
    done = run_measured(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                        stderr=subprocess.PIPE)
    if done["code"] != 0:
        raise SystemExit(f"badges --layout {layout} failed: {' '.join(cmd)}")
    return done["wall"], done["cpu"], int(done["peak_mb"])


def megabytes(paths) -> float:
    return sum(p.stat().st_size for p in paths) / 1e6


def startup() -> float:
    """Seconds for the same command line to start and stop (`python -m kiosk --help`)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kiosk", "--help"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def measure(quick: bool = False) -> list[dict]:
    """Rows for the `make bench` table: badges per second for each layout (400 people,
    100 when quick; median of 3 runs), beside the floor: the same number of badges in
    the time the command takes to start alone, as a rate (people / start-up seconds)."""
    from bench._table import row

    people, repeat = (100, 1) if quick else (400, 3)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        db = connect(db_path)
        import_registrations(db, load_event(), make_csv(people), "bench.csv")
        db.close()
        floor = people / statistics.median(startup() for _ in range(repeat))
        for layout in ("a4", "cr80", "a6"):
            runs = [run_badges(db_path, Path(tmp) / layout, layout) for _ in range(repeat)]
            wall = statistics.median(r[0] for r in runs)
            peak = max(r[2] for r in runs)
            target = "a4 400: < 10 s, < 300 MB" if layout == "a4" else ""
            rows.append(row(f"badges per second, {layout} ({people}, {wall:.1f} s, "
                            f"peak {peak} MB)", people / wall, "/s", floor, target))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=400)
    parser.add_argument("--layouts", default="a4,cr80,a6")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.people} badges per run, best of {args.repeat}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}")
    print(f"{'layout':<7}{'wall s':>8}{'CPU s':>7}{'peak MB':>9}{'PDF pages':>11}"
          f"{'PDF MB':>8}{'PNGs MB':>9}  target")
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        db = connect(db_path)
        import_registrations(db, load_event(), make_csv(args.people), "bench.csv")
        db.close()
        for layout in args.layouts.split(","):
            out = Path(tmp) / layout
            runs = [run_badges(db_path, out, layout) for _ in range(args.repeat)]
            wall, cpu = min(r[0] for r in runs), min(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            pdfs = sorted(out.glob("*.pdf"))
            pages = sum(p.read_bytes().count(b"/Type /Page\n") for p in pdfs)
            target = TARGET.get(layout) if args.people == 400 else None
            verdict = ("" if not target else
                       f"< {target[0]:.0f} s, < {target[1]} MB: "
                       + ("ok" if wall < target[0] and peak < target[1] else "MISSED"))
            print(f"{layout:<7}{wall:>8.2f}{cpu:>7.2f}{peak:>9}{pages:>11}{megabytes(pdfs):>8.1f}"
                  f"{megabytes(out.glob('png/*.png')):>9.1f}  {verdict}")


if __name__ == "__main__":
    main()
