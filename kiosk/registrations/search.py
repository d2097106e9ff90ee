"""Finding somebody without a badge by name: accent- and case-insensitive, partial, and
forgiving of one typo per word ("Jansens" finds "Janssens", "celik" finds "Çelik")."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from kiosk.store import attendees as attendee_store
from kiosk.store.attendees import Attendee
from kiosk.text import fold

MAX_RESULTS = 8  # a screenful on a tablet
MIN_QUERY = 2


@dataclass(frozen=True)
class Hit:
    attendee: Attendee
    score: float


def search(db: Database, query: str, limit: int = MAX_RESULTS) -> list[Attendee]:
    """The best matches for what was typed; nothing before two characters are typed."""
    words = fold(query or "")[:100].split()
    if sum(len(w) for w in words) < MIN_QUERY:
        return []
    hits = []
    for attendee in attendee_store.all_attendees(db):
        score = _score(words, attendee_store.search_key(attendee).split())
        if score > 0:
            hits.append(Hit(attendee, score))
    hits.sort(key=lambda h: (-h.score, fold(h.attendee.last_name), fold(h.attendee.first_name)))
    return [h.attendee for h in hits[:limit]]


def _score(words: list[str], name: list[str]) -> float:
    """Every typed word must match some word of the name; better matches score higher."""
    total = 0.0
    for word in words:
        best = max((_word_score(word, part) for part in name), default=0.0)
        if best == 0:
            return 0.0
        total += best
    return total


def _word_score(typed: str, part: str) -> float:
    if part == typed:
        return 3.0
    if part.startswith(typed):
        return 2.0
    if typed in part:
        return 1.5
    if len(typed) >= 4 and _within_one_edit(typed, part[:len(typed) + 1]):
        return 1.0
    if len(typed) >= 4 and _within_one_edit(typed, part):
        return 1.0
    return 0.0


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1: one wrong, missing, extra or swapped letter."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) <= 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(longer)):
        if longer[:i] + longer[i + 1:] == shorter:
            return True
    return False
