"""The reception search's index: FTS5 over the folded names (`attendees.search_key`).

The tables and the triggers that keep them in step are in kiosk.store.schema
(`index_names_for_search`). The search itself (kiosk.registrations.search) asks three
things, none of which reads every attendee row:

- `vocabulary`: the distinct name words (8,000 at a 10,000-person congress), which the
  search keeps in memory, read again when `version` says a name changed;
- `people_with_words`: who has one of those words in their name;
- `scored`: everyone whose name matches every typed word, with the score of each word,
  computed by SQLite, driven by the trigram index when a word is 3 letters or more.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence

from sqlite_utils import Database

from kiosk.store.connection import reading

# The scores of kiosk.registrations.search, best match of the word in any part of the name.
EXACT, PREFIX, INSIDE, TYPO = 3.0, 2.0, 1.5, 1.0
TRIGRAM = 3  # the trigram index answers pieces of at least this many characters


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def version(db: Database) -> int:
    """A number that changes whenever a name is added, changed or removed."""
    return db.execute("SELECT version FROM search_state WHERE id = 1").fetchone()[0]


def vocabulary(db: Database) -> tuple[int, list[str]]:
    """(version, every distinct word of the folded names), read in one transaction."""
    with reading(db):
        terms = [row[0] for row in db.execute("SELECT term FROM attendee_words_vocab")]
        return version(db), terms


def people_starting_with(db: Database, piece: str) -> list[int]:
    """Ids of everyone with a name word that starts with `piece`."""
    return [row[0] for row in db.execute(
        "SELECT rowid FROM attendee_words WHERE attendee_words MATCH ?", [_quoted(piece) + " *"])]


def people_with_words(db: Database, terms: Collection[str]) -> list[int]:
    """Ids of everyone with one of these whole words in their folded name."""
    if not terms:
        return []
    match = " OR ".join(_quoted(t) for t in terms)
    return [row[0] for row in db.execute(
        "SELECT rowid FROM attendee_words WHERE attendee_words MATCH ?", [match])]


def _word_score(index: int, typos: bool) -> str:
    """The SQL for one typed word's score (parameters :w{index}, :t{index})."""
    w = f":w{index}"
    typo = f" WHEN a.id IN (SELECT value FROM json_each(:t{index})) THEN {TYPO}" if typos else ""
    return (f"CASE WHEN instr(' ' || a.search_key || ' ', ' ' || {w} || ' ') THEN {EXACT}"
            f" WHEN instr(' ' || a.search_key, ' ' || {w}) THEN {PREFIX}"
            f" WHEN instr(a.search_key, {w}) THEN {INSIDE}{typo}"
            f" ELSE 0 END")


def scored(db: Database, words: Sequence[str], typos: Mapping[str, Collection[int]],
           among: Collection[int] | None = None) -> list[tuple[int, float, str, str]]:
    """(id, total score, first name, last name) of everyone whose name matches every typed
    word, in id order. `typos`: for a word, the ids whose name is one typo away from it;
    `among`: look only at these ids (else the trigram index picks the candidates when a
    word is long enough, or every attendee is read)."""
    params: dict[str, object] = {}
    for i, word in enumerate(words):
        params[f"w{i}"], params[f"t{i}"] = word, json.dumps(sorted(typos.get(word, ())))
    scores = ", ".join(f"{_word_score(i, bool(typos.get(w)))} AS s{i}"
                       for i, w in enumerate(words))
    source = "attendees a"
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    if among is not None:
        params["among"] = json.dumps(sorted(among))
        source += " WHERE a.id IN (SELECT value FROM json_each(:among))"
    elif len(words[longest]) >= TRIGRAM:  # the index finds the candidates
        params["match"] = _quoted(words[longest])
        source += (f" WHERE a.id IN (SELECT rowid FROM attendee_search"
                   f" WHERE attendee_search MATCH :match"
                   f" UNION SELECT value FROM json_each(:t{longest}))")
    total = " + ".join(f"s{i}" for i in range(len(words)))
    matched = " AND ".join(f"s{i} > 0" for i in range(len(words)))
    sql = (f"SELECT id, {total}, first_name, last_name FROM"
           f" (SELECT a.id, a.first_name, a.last_name, {scores} FROM {source})"
           f" WHERE {matched} ORDER BY id")
    return [tuple(row) for row in db.execute(sql, params)]


def clear(db: Database) -> None:
    """Empty the index at once (purge): FTS5 marks deleted rows rather than rewriting its
    pages, so the words of deleted names could linger in the index until a merge."""
    for table in ("attendee_search", "attendee_words"):
        db.execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    db.execute("UPDATE search_state SET version = version + 1")
