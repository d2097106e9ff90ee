"""The reception search reads an index in the database, kept in step by the store: the
same answers as reading every attendee, whichever way a name came, changed or went."""

from __future__ import annotations

import random

import pytest

from kiosk.checkin.walkin import register_walk_in
from kiosk.registrations import edits
from kiosk.registrations.search import _score, search
from kiosk.rehearsal import wipe
from kiosk.store import attendees, connect, purging, search_index, transaction
from kiosk.store.attendees import Attendee
from kiosk.text import fold
from tests.clocks import pinned


def names(people):
    return [p.full_name for p in people]


def by_reading_everyone(db, query, limit=8):
    """The search as it was: every attendee read and scored in Python (the reference)."""
    words = fold(query)[:100].split()
    if sum(len(w) for w in words) < 2:
        return []
    hits = [(a, _score(words, attendees.search_key(a).split()))
            for a in attendees.all_attendees(db)]
    hits = [h for h in hits if h[1] > 0]
    hits.sort(key=lambda h: (-h[1], fold(h[0].last_name), fold(h[0].first_name)))
    return [h[0].id for h in hits[:limit]]


def test_prefix_and_a_piece_inside_a_word(loaded):
    assert names(search(loaded, "janss"))[0].endswith("Janssens")
    assert "Quinten Van Ransbeeck-De Wachter" in names(search(loaded, "sbeec"))
    assert "Zoë Janssens" in names(search(loaded, "ssens zo"))


def test_one_typo_accents_and_a_missing_letter(loaded):
    assert "Pieter Çelik" in names(search(loaded, "CELIK"))
    assert "Pieter Çelik" in names(search(loaded, "pieetr"))  # two letters swapped
    assert "Zoë Janssens" in names(search(loaded, "zoë jansens"))  # one missing
    assert "Zoë Janssens" in names(search(loaded, "janxsens"))  # one wrong


def test_an_edited_name_is_found_by_its_new_name_only(loaded, event):
    zoe = attendees.get_by_email(loaded, "zoe.janssens@putte.be")
    form = {"first_name": "Zoë", "last_name": "Wyckmans", "organisation": zoe.organisation}
    edits.edit(loaded, event, zoe.id, form)
    assert names(search(loaded, "wyckmans")) == ["Zoë Wyckmans"]
    assert "Zoë Janssens" not in names(search(loaded, "zoe janssens"))


def test_a_walk_in_is_found_at_once_and_not_once_the_rehearsal_is_wiped(loaded, event):
    form = {"first_name": "Émilie", "last_name": "Brouckaert", "organisation": "Lier"}
    register_walk_in(loaded, event, form, "onthaal", pinned("09:10"))  # a rehearsal clock
    assert names(search(loaded, "emilie brouck")) == ["Émilie Brouckaert"]
    assert names(search(loaded, "brouckaret")) == ["Émilie Brouckaert"]
    wipe.rehearsals(loaded)
    assert search(loaded, "brouckaert") == []


def test_an_existing_database_gets_its_index_when_it_is_opened(tmp_path, loaded):
    """The migration builds the index from the attendees already there."""
    with transaction(loaded):
        search_index.clear(loaded)
    assert search(loaded, "janssens") == []
    loaded.execute("DELETE FROM _sqlite_migrations WHERE name = 'index_names_for_search'")
    for name in ("attendee_words_vocab", "attendee_words", "attendee_search", "search_state"):
        loaded.execute(f"DROP TABLE {name}")
    for name in ("insert", "delete", "update"):
        loaded.execute(f"DROP TRIGGER attendees_search_{name}")
    again = connect(loaded.path)
    assert "Zoë Janssens" in names(search(again, "janssens"))


def test_purge_leaves_no_name_in_the_index(loaded):
    with transaction(loaded):
        purging.delete_personal_data(loaded)
    assert loaded.execute("SELECT count(*) FROM attendee_words_vocab").fetchone()[0] == 0
    assert search(loaded, "janssens") == []


LETTERS = "aeiouybcdfghjklmnprstvwzçëé-'"


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 9))).capitalize()


@pytest.fixture
def crowd(db):
    """600 made-up people with short, similar names: many near misses for the typo pass."""
    rng = random.Random(14)
    people = [Attendee(email=f"p{i}@x.be", first_name=_name(rng),
                       last_name=" ".join(_name(rng) for _ in range(rng.randint(1, 2))),
                       badge_code=f"C{i:05d}", created_at="t", updated_at="t")
              for i in range(600)]
    with transaction(db):
        attendees.insert_many(db, people)
    return db, rng


def test_the_index_answers_what_reading_everyone_answers(crowd):
    db, rng = crowd
    everyone = attendees.all_attendees(db)
    queries = ["an", "e", "é", "ç-", "'a", "a b", "xx yy"]
    for _ in range(300):
        key = attendees.search_key(rng.choice(everyone))
        word = rng.choice(key.split())
        start = rng.randrange(len(word))
        piece = word[start:start + rng.randint(2, 7)]
        if rng.random() < 0.5 and len(piece) >= 4:  # a typo: drop, swap or change a letter
            i = rng.randrange(len(piece) - 1)
            piece = rng.choice([piece[:i] + piece[i + 1:],
                                piece[:i] + piece[i + 1] + piece[i] + piece[i + 2:],
                                piece[:i] + rng.choice(LETTERS) + piece[i + 1:]])
        queries.append(piece if rng.random() < 0.6 else f"{piece} {rng.choice(key.split())[:3]}")
    for query in queries:
        assert [a.id for a in search(db, query)] == by_reading_everyone(db, query), query
