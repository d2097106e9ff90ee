"""Search benchmark: the reception's name search at 10,000 attendees, beside a bare SELECT
of one attendee by id on the same database (the floor: what any read costs). Queries are
what a desk types: each name letter by letter from the second letter, and with one typo.

    .venv/bin/python bench/bench_search.py [--people 10000] [--names 60] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import _congress  # noqa: E402
from bench._table import pct, row, timings  # noqa: E402
from kiosk.registrations.search import search  # noqa: E402
from kiosk.store import attendees, connect  # noqa: E402


def keystrokes(db, names: int, seed: int = 5) -> list[str]:
    """What a desk types for `names` people: 'ja', 'jan', ... 'jan pe', and a typo."""
    rng, everyone = random.Random(seed), attendees.all_attendees(db)
    queries = []
    for person in rng.sample(everyone, names):
        typed = f"{person.first_name} {person.last_name}"[:14]
        queries += [typed[:n] for n in range(2, len(typed) + 1) if typed[n - 1] != " "]
        last = person.last_name
        if len(last) >= 5:
            i = rng.randrange(1, len(last) - 1)
            queries.append(last[:i] + last[i + 1:])  # a letter missing
    return queries


def one_run(path: Path, names: int) -> tuple[list[float], list[float]]:
    db = connect(path, migrate=False)
    queries = keystrokes(db, names)
    ids = [row[0] for row in db.execute("SELECT id FROM attendees").fetchall()]
    for query in queries[:20]:  # warm the page cache
        search(db, query)
    seconds = []
    for query in queries:
        seconds += timings(lambda q=query: search(db, q), 1)
    bare = timings(lambda: db.execute("SELECT * FROM attendees WHERE id = ?",
                                      [random.choice(ids)]).fetchall(), len(queries))
    db.close()
    return seconds, bare


def measure(quick: bool = False, people: int = 10_000, names: int = 60,
            repeat: int = 3) -> list[dict]:
    """Rows for the `make bench` table: search p50 and p99 (medians over runs)."""
    if quick:
        names, repeat = 15, 1
    with tempfile.TemporaryDirectory() as tmp:
        path = _congress.build(Path(tmp), people=people, on_site=0)
        runs = [one_run(path, names) for _ in range(repeat)]
    label = f"name search at {people:,} attendees"
    rows = []
    for q, target in ((50, "< 10 ms"), (99, "< 25 ms")):
        value = statistics.median(pct(s, q) for s, _ in runs) * 1e3
        floor = statistics.median(pct(b, q) for _, b in runs) * 1e3
        rows.append(row(f"{label}, p{q}", value, "ms", floor, target))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--names", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'figure':<42} {'value':>9} {'floor':>9}  target")
    for r in measure(people=args.people, names=args.names, repeat=args.repeat):
        print(f"{r['figure']:<42} {r['value']:7.2f}{r['unit']:>2} {r['floor']:7.3f}{r['unit']:>2}"
              f"  {r['target']}")


if __name__ == "__main__":
    main()
