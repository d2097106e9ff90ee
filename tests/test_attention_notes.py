"""The note for the door ("spreker — naar de sprekerstafel", "pers"): from an import
column or set by the organiser, kept as text, and handed to reception with every scan
and search so the page can show it in its own colour."""

from __future__ import annotations

import pytest

from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees as attendee_store
from tests.registration_files import sample_rows, to_csv


def with_notes(notes: dict[str, str], header_name: str = "Aandachtspunt") -> bytes:
    header, rows = sample_rows()
    email = header.index("E-mailadres")
    return to_csv([*header, header_name], [[*row, notes.get(row[email], "")] for row in rows])


@pytest.fixture
def yasmine(db):
    return lambda: attendee_store.get_by_email(db, "yasmine.elamrani@mechelen.be")


@pytest.mark.parametrize("header_name", ["Aandachtspunt", "Let op", "Note for reception"])
def test_an_import_column_sets_the_note(db, event, yasmine, header_name):
    """A column named like a note for the door is recognised by its header."""
    data = with_notes({"yasmine.elamrani@mechelen.be": "spreker — naar de sprekerstafel"},
                      header_name)
    plan = import_registrations(db, event, data, "lijst.csv")
    assert not plan.rejected
    assert yasmine().note == "spreker — naar de sprekerstafel"


def test_a_list_without_the_column_keeps_the_note_and_one_with_it_changes_it(
        db, event, sample_bytes, yasmine, client, station_token):
    """A note set by the organiser survives a re-import of a list that has no note column
    (nothing changed); a list with the column is the source again."""
    import_registrations(db, event, sample_bytes, "lijst.csv")
    organiser = {"Authorization": f"Bearer {station_token('organiser')}"}
    assert client.put(f"/api/attendees/{yasmine().id}/note", headers=organiser,
                      json={"note": "pers"}).get_json() == {"id": yasmine().id, "note": "pers"}
    again = import_registrations(db, event, sample_bytes, "lijst.csv")
    assert yasmine().note == "pers" and not again.updated
    changed = import_registrations(db, event, with_notes(
        {"yasmine.elamrani@mechelen.be": "VIP"}), "lijst.csv")
    assert yasmine().note == "VIP" and [a.email for a in changed.updated] == [
        "yasmine.elamrani@mechelen.be"]


def test_the_organiser_sets_the_note_as_text_and_bad_notes_change_nothing(
        client, loaded, station_token, yasmine):
    """Markup stays text; control characters, other types and overlong notes are refused
    with a Dutch reason; reception may not set notes; an unknown person is 404."""
    organiser = {"Authorization": f"Bearer {station_token('organiser')}"}
    url = f"/api/attendees/{yasmine().id}/note"
    assert client.put(url, headers=organiser, json={"note": "<b>pers</b>"}).get_json()[
        "note"] == "<b>pers</b>"
    for bad in ({"note": "pers\x07"}, {"note": 12}, {"note": "x" * 201}):
        answer = client.put(url, headers=organiser, json=bad)
        assert answer.status_code == 400 and answer.get_json()["message"]
    assert yasmine().note == "<b>pers</b>"
    reception = {"Authorization": f"Bearer {station_token('reception')}"}
    assert client.put(url, headers=reception, json={"note": "x"}).status_code == 403
    assert client.put("/api/attendees/99999/note", headers=organiser,
                      json={"note": "x"}).status_code == 404


def test_reception_gets_the_note_with_the_scan_and_the_search(client, loaded, station_token,
                                                               yasmine):
    """The scan's answer and the name search carry the note (the page shows it)."""
    organiser = {"Authorization": f"Bearer {station_token('organiser')}"}
    client.put(f"/api/attendees/{yasmine().id}/note", headers=organiser,
               json={"note": "spreker — naar de sprekerstafel"})
    reception = {"Authorization": f"Bearer {station_token('reception')}"}
    scan = client.post("/api/scans", headers=reception, json={"code": yasmine().badge_code})
    assert scan.get_json()["attendee"]["note"] == "spreker — naar de sprekerstafel"
    found = client.get("/api/attendees?q=yasmine", headers=reception).get_json()["results"]
    assert found[0]["note"] == "spreker — naar de sprekerstafel"
