"""The registration summary: who is expected, per bestuur and per theme."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.event import Event
from kiosk.store import attendees as attendee_store


@dataclass
class Summary:
    statuses: dict[str, int]
    per_bestuur: list[tuple[str, int]]  # (bestuur, expected), the event's order, then others
    per_theme: list[tuple[str, dict[str, int]]]  # (theme name, {block id: expected})
    meals: dict[str, int]  # catering id -> expected
    expected: int


def summarise(db: Database, event: Event) -> Summary:
    """Counts over everyone expected (registered and walk-ins; not the cancelled)."""
    everyone = attendee_store.all_attendees(db)
    expected = [a for a in everyone if a.status != "cancelled"]
    bestuur = Counter(a.bestuur or a.organisation or "(onbekend)" for a in expected)
    order = [b.name for b in event.besturen] + sorted(set(bestuur) - {b.name for b in
                                                                         event.besturen})
    themes = [(t.name, {b.id: sum(1 for a in expected if a.sessions.get(b.id) == t.id)
                        for b in event.blocks}) for t in event.themes]
    return Summary(
        statuses=Counter(a.status for a in everyone),
        per_bestuur=[(name, bestuur[name]) for name in order],
        per_theme=themes,
        meals={c.id: sum(1 for a in expected if a.meals.get(c.id)) for c in event.catering},
        expected=len(expected),
    )
