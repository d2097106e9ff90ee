"""Finding somebody without a badge by name: accent- and case-insensitive, partial, and
forgiving of one typo per word ("Jansens" finds "Janssens", "celik" finds "Çelik").

The database does the reading (kiosk.store.search_index): a trigram index finds the names
holding a typed piece, and the one-typo pass runs here on the few name words that share a
key with the typed word (`_keys`), taken from the index's list of distinct name words,
not on every attendee. What matches, and in which order, is the rule below
(`_word_score`), unchanged: each typed word scores its best match in any word of the name
(whole word 3, start of a word 2, inside a word 1.5, one typo 1); every typed word must
match; the best total comes first, then by last name and first name.
"""

from __future__ import annotations

from sqlite_utils import Database

from kiosk.store import attendees as attendee_store
from kiosk.store import search_index
from kiosk.store.attendees import Attendee
from kiosk.text import fold

MAX_RESULTS = 8  # a screenful on a tablet
MIN_QUERY = 2
MIN_TYPO = 4  # shorter words are too short to guess what was meant


def search(db: Database, query: str, limit: int = MAX_RESULTS) -> list[Attendee]:
    """The best matches for what was typed; nothing before two characters are typed."""
    words = fold(query or "")[:100].split()
    if sum(len(w) for w in words) < MIN_QUERY:
        return []
    typos = {word: typo_people(db, word) for word in set(words) if len(word) >= MIN_TYPO}
    among = None
    if len(words) == 1 and len(words[0]) < search_index.TRIGRAM:
        # Too short for the trigram index. When a screenful of names has a word starting
        # with it, those outrank every name that only holds it inside a word.
        starting = search_index.people_starting_with(db, words[0])
        among = starting if len(starting) >= limit else None
    rows = search_index.scored(db, words, typos, among)
    rows.sort(key=lambda r: (-r[1], fold(r[3]), fold(r[2])))  # stable: ties in id order
    found = [attendee_store.get(db, row[0]) for row in rows[:limit]]
    return [a for a in found if a is not None]


def typo_people(db: Database, word: str) -> set[int]:
    """Ids of everyone with a name word one typo away from `word`: a wrong, missing, extra
    or swapped letter in the whole word, or a missing letter in the start of it."""
    near = [term for term in _vocabulary(db).near(word) if _is_typo_of(word, term)]
    return set(search_index.people_with_words(db, near))


def _keys(word: str) -> set[str]:
    """The first three letters of the word and of the word with one of its first three
    letters left out. Two words one typo apart (or a word and the start of a longer one
    with one letter missing) always share a key: both sides come down to the same
    letters once the odd one is left out (a SymSpell-style index on word starts)."""
    return {word[:3]} | {(word[:i] + word[i + 1:])[:3] for i in range(min(3, len(word)))}


class _Vocabulary:
    """The index's distinct name words by key, in memory: a few thousand words, read again
    only when a name changed (`search_index.version`)."""

    def __init__(self, version: int, terms: list[str]):
        self.version = version
        self.by_key: dict[str, list[str]] = {}
        for term in terms:
            for key in _keys(term):
                self.by_key.setdefault(key, []).append(term)

    def near(self, word: str) -> set[str]:
        """Words that may be one typo away from `word` (a superset; the caller checks)."""
        return {term for key in _keys(word) for term in self.by_key.get(key, ())}


_vocabularies: dict[str, _Vocabulary] = {}


def _vocabulary(db: Database) -> _Vocabulary:
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    known = _vocabularies.get(path)
    if known is None or known.version != search_index.version(db):
        known = _vocabularies[path] = _Vocabulary(*search_index.vocabulary(db))
    return known


def _is_typo_of(typed: str, part: str) -> bool:
    return (_within_one_edit(typed, part[:len(typed) + 1])
            or _within_one_edit(typed, part))


def _score(words: list[str], name: list[str]) -> float:
    """The rule, on one name (the reference the index's answers are tested against)."""
    total = 0.0
    for word in words:
        best = max((_word_score(word, part) for part in name), default=0.0)
        if best == 0:
            return 0.0
        total += best
    return total


def _word_score(typed: str, part: str) -> float:
    if part == typed:
        return search_index.EXACT
    if part.startswith(typed):
        return search_index.PREFIX
    if typed in part:
        return search_index.INSIDE
    if len(typed) >= MIN_TYPO and _is_typo_of(typed, part):
        return search_index.TYPO
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
