"""Property: any registration list survives export and re-import unchanged."""

from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.event import load_event
from kiosk.registrations.export import columns, rows, to_csv
from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees, connect
from kiosk.text import clean

EVENT = load_event()
LETTERS = "abcdeéëçüöAZÉÇ '-&<>\";,=+@/()\u00a0"
text = st.text(alphabet=LETTERS, max_size=30).map(clean)
name = text.filter(bool)
themes = st.sampled_from([""] + [t.name for t in EVENT.themes])
person = st.fixed_dictionaries({
    "first_name": name, "last_name": text, "function": text, "comments": text,
    "organisation": st.sampled_from([b.name for b in EVENT.besturen] + ["Stad Antwerpen"]),
    "session_voormiddag": themes, "session_namiddag": themes,
    "lunch": st.sampled_from(["ja", "nee"]), "tapas": st.sampled_from(["ja", "nee"]),
    "diet": st.sampled_from(["", "Vegetarisch", "Halal, geen noten", "Glutenvrij"]),
})
people = st.lists(person, max_size=25)


def _as_csv(generated: list[dict]) -> bytes:
    header = columns(EVENT)[:-3]  # what a registration has: not status, code, check-in
    body = [[f"p{i}@example.be" if c == "email" else p[c] for c in header]
            for i, p in enumerate(generated)]
    return to_csv(header, body)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people)
def test_export_then_import_gives_back_the_same_list(tmp_path_factory, generated):
    db = connect(tmp_path_factory.mktemp("rt") / "k.db")
    first = import_registrations(db, EVENT, _as_csv(generated), "gen.csv")
    assert not first.rejected
    exported = to_csv(columns(EVENT), rows(db, EVENT))
    table = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"), newline="")))
    by_email = {r["email"]: r for r in table}
    for i, p in enumerate(generated):
        row = by_email[f"p{i}@example.be"]
        stored = attendees.get_by_email(db, f"p{i}@example.be")
        assert stored.first_name == p["first_name"] and stored.last_name == p["last_name"]
        assert row["session_voormiddag"] == p["session_voormiddag"]
        assert row["lunch"] == p["lunch"] and row["diet"] == p["diet"]
    again = import_registrations(db, EVENT, exported, "export.csv")
    assert not again.rejected
    assert again.counts()["unchanged"] == len(generated)
    db.close()
