"""static/js/live.js applies the server's patches as kiosk.headcounts.deltas makes them:
the same snapshots in real Chromium as in Python."""

from __future__ import annotations

import random

from kiosk.headcounts import deltas


def cases(rng: random.Random, n: int) -> list[tuple]:
    """(old, new) pairs of snapshot-like data: nested dicts and lists, small changes."""
    def value(depth: int):
        kind = rng.random()
        if depth > 2 or kind < 0.4:
            return rng.choice([0, 1, 7, "a", "b", None, True, 2.5])
        if kind < 0.7:
            return {k: value(depth + 1) for k in rng.sample("abcdef", rng.randint(1, 4))}
        return [value(depth + 1) for _ in range(rng.randint(0, 4))]

    def change(v, depth: int = 0):
        if rng.random() < 0.3:
            return value(depth)
        if isinstance(v, dict):
            return {k: change(x, depth + 1) if rng.random() < 0.4 else x for k, x in v.items()}
        if isinstance(v, list):
            return [change(x, depth + 1) if rng.random() < 0.4 else x for x in v]
        return v

    pairs = []
    for _ in range(n):
        old = {"seq": 1, "totals": value(0), "rooms": [value(1) for _ in range(3)]}
        pairs.append((old, {**{k: change(v, 1) for k, v in old.items()}, "seq": 2}))
    return pairs


def test_the_screens_apply_patches_as_the_server_makes_them(live_server, new_page):
    pairs = cases(random.Random(14), 200)
    patches = [deltas.diff(old, new) for old, new in pairs]
    assert all(deltas.apply(old, p) == new for (old, new), p in zip(pairs, patches, strict=True))
    page = new_page()
    page.goto(f"{live_server.url}/")
    rebuilt = page.evaluate(
        """async (cases) => {
            const { applyPatch } = await import("/static/js/live.js");
            return cases.map(([old, patch]) => {
              const frozen = JSON.stringify(old);
              const result = applyPatch(old, patch);
              if (JSON.stringify(old) !== frozen) throw new Error("old was changed");
              return result;
            });
        }""", [[old, p] for (old, _), p in zip(pairs, patches, strict=True)])
    assert rebuilt == [new for _, new in pairs]
