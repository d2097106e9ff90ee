"""Importing the registration list: every shape organisers send, re-imports, bad rows."""

from __future__ import annotations

import pytest

from kiosk.registrations.importer import import_registrations
from kiosk.registrations.reading import ImportFileError
from kiosk.store import attendees, imports
from tests.registration_files import (
    ENGLISH,
    english,
    sample_rows,
    to_csv,
    to_xlsx,
)


def content_of(db):
    return sorted((a.email, tuple(sorted(a.content().items(), key=str)))
                  for a in attendees.all_attendees(db))


def test_the_sample_export_imports_cleanly(db, event, sample_bytes):
    plan = import_registrations(db, event, sample_bytes, "inschrijvingen.csv")
    assert plan.counts()["added"] == 48 and not plan.rejected and not plan.warnings
    zoe = attendees.get_by_email(db, "zoe.janssens@putte.be")
    assert (zoe.first_name, zoe.bestuur, zoe.sessions) == (
        "Zoë", "Putte", {"voormiddag": "vrije-tijd", "namiddag": "vrije-tijd"})
    assert zoe.meals == {"lunch": True, "tapas": False}
    assert zoe.diets == ["vegetarian"]
    ulrike = attendees.get_by_email(db, "ulrike.mertens@putte.be")
    assert ulrike.diet == "Vegetarisch, geen paprika" and ulrike.diets == ["vegetarian"]
    assert attendees.get_by_email(db, "hans.vermeulen@willebroek.be").diets == ["allergy"]


@pytest.mark.parametrize("shape", ["comma", "windows-1252", "semicolon-no-bom", "xlsx-english",
                                   "csv-english-tab"])
def test_the_same_people_in_every_shape_import_to_the_same_result(tmp_path, event, sample_bytes,
                                                                   shape):
    from kiosk.store import connect

    header, rows = sample_rows()
    files = {
        "comma": (to_csv(header, rows, delimiter=",", bom=True), "a.csv"),
        "windows-1252": (to_csv(header, rows, encoding="cp1252"), "a.csv"),
        "semicolon-no-bom": (to_csv(header, rows), "a.csv"),
        "xlsx-english": (to_xlsx(ENGLISH, english(rows)), "a.xlsx"),
        "csv-english-tab": (to_csv(ENGLISH, english(rows), delimiter="\t"), "a.txt"),
    }
    reference, other = connect(tmp_path / "ref.db"), connect(tmp_path / "other.db")
    import_registrations(reference, event, sample_bytes, "sample.csv")
    data, name = files[shape]
    plan = import_registrations(other, event, data, name)
    assert not plan.rejected and not plan.warnings
    assert content_of(other) == content_of(reference)


def test_reimporting_the_same_list_changes_nothing_and_keeps_codes(db, event, sample_bytes):
    import_registrations(db, event, sample_bytes, "a.csv")
    before = {a.email: a for a in attendees.all_attendees(db)}
    plan = import_registrations(db, event, sample_bytes, "a.csv")
    assert plan.counts()["unchanged"] == 48 and plan.counts()["added"] == 0
    after = {a.email: a for a in attendees.all_attendees(db)}
    assert {e: a.badge_code for e, a in after.items()} == {e: a.badge_code
                                                          for e, a in before.items()}
    assert after == before


def test_a_change_is_applied_and_makes_the_printed_badge_stale(db, event):
    header, rows = sample_rows()
    import_registrations(db, event, to_csv(header, rows), "a.csv")
    rows[0][5] = "Mobiliteit"  # Yasmine changes her morning session
    rows[1][9] = "nee"  # Hans skips the tapas: not on the badge
    plan = import_registrations(db, event, to_csv(header, rows), "b.csv")
    assert plan.counts()["updated"] == 2
    yasmine = attendees.get_by_email(db, rows[0][2])
    hans = attendees.get_by_email(db, rows[1][2])
    assert yasmine.sessions["voormiddag"] == "mobiliteit" and yasmine.badge_version == 2
    assert hans.meals["tapas"] is False and hans.badge_version == 1


def test_a_shorter_list_cancels_the_missing_and_keeps_their_check_in(db, event):
    header, rows = sample_rows()
    import_registrations(db, event, to_csv(header, rows), "a.csv")
    gone = attendees.get_by_email(db, rows[-1][2])
    db["movements"].insert({"attendee_id": gone.id, "location": "onthaal", "direction": "in",
                            "recorded_at": "2023-05-23T07:01:00+00:00"})
    plan = import_registrations(db, event, to_csv(header, rows[:-3]), "b.csv")
    assert plan.counts()["cancelled"] == 3
    cancelled = attendees.get_by_email(db, rows[-1][2])
    assert cancelled.status == "cancelled" and cancelled.badge_code == gone.badge_code
    assert db["movements"].count == 1
    plan = import_registrations(db, event, to_csv(header, rows), "c.csv")
    assert plan.counts()["restored"] == 3
    assert attendees.get_by_email(db, rows[-1][2]).status == "registered"


def test_a_partial_list_adds_late_registrations_without_cancelling_anyone(db, event):
    header, rows = sample_rows()
    import_registrations(db, event, to_csv(header, rows[:40]), "a.csv")
    plan = import_registrations(db, event, to_csv(header, rows[40:]), "late.csv", partial=True)
    assert plan.counts()["added"] == 8 and plan.counts()["cancelled"] == 0
    assert attendees.count_by_status(db)["registered"] == 48


def test_bad_rows_are_reported_with_their_row_number_and_kept_in_the_import_log(db, event):
    header, rows = sample_rows()
    rows[2][2] = ""  # no e-mail: row 4 (the header is row 1)
    rows[5][2] = "nico.vanlooy@heist"  # broken e-mail: row 7
    rows[7][5] = "Ruimtevaart"  # unknown theme: row 9, imported with a warning
    rows.insert(10, [""] * len(header))  # an empty line is skipped, not an error
    plan = import_registrations(db, event, to_csv(header, rows), "a.csv")
    assert [(i.row_number, i.reason) for i in plan.rejected] == [
        (4, "e-mailadres ontbreekt"), (7, "ongeldig e-mailadres")]
    assert [(i.row_number, i.value) for i in plan.warnings] == [(9, "Ruimtevaart")]
    assert plan.counts()["added"] == 46
    assert attendees.get_by_email(db, rows[7][2]).sessions == {"namiddag": "omgeving-wonen"}
    log = imports.latest(db)
    assert log["counts"]["rejected"] == 2
    rejected = [i for i in log["issues"] if i.severity == "error"]
    assert rejected[1].row_values["Voornaam"] == rows[5][0]
    assert rejected[1].value == "nico.vanlooy@heist"


def test_an_unknown_bestuur_still_gets_a_badge_with_a_warning(db, event):
    header, rows = sample_rows()
    rows[0][3] = "Stad Antwerpen"
    plan = import_registrations(db, event, to_csv(header, rows), "a.csv")
    assert [(i.row_number, i.field, i.value) for i in plan.warnings] == [
        (2, "organisation", "Stad Antwerpen")]
    person = attendees.get_by_email(db, rows[0][2])
    assert person.organisation == "Stad Antwerpen" and person.bestuur is None
    assert person.badge_code


def test_a_dry_run_writes_nothing(db, event, sample_bytes):
    plan = import_registrations(db, event, sample_bytes, "a.csv", dry_run=True)
    assert plan.counts()["added"] == 48
    assert attendees.all_attendees(db) == [] and imports.latest(db) is None


def test_markup_in_a_name_is_stored_verbatim(db, event):
    header, rows = sample_rows()
    rows[0][0] = "<script>alert('x')</script>"
    rows[0][1] = "D'Hondt & \"Zonen\""
    import_registrations(db, event, to_csv(header, rows), "a.csv")
    person = attendees.get_by_email(db, rows[0][2])
    assert person.first_name == "<script>alert('x')</script>"
    assert person.last_name == "D'Hondt & \"Zonen\""


def test_the_later_of_two_rows_for_one_email_wins_with_a_warning(db, event):
    header, rows = sample_rows()
    rows.append(list(rows[0]))
    rows[-1][5] = "Economie"
    plan = import_registrations(db, event, to_csv(header, rows), "a.csv")
    assert [(i.row_number, i.reason) for i in plan.warnings] == [
        (50, "dubbele inschrijving: vervangt rij 2")]
    assert attendees.get_by_email(db, rows[0][2]).sessions["voormiddag"] == "economie"


def test_unrecognised_headers_can_be_mapped_explicitly(db, event):
    header, rows = sample_rows()
    header[2], header[5] = "Mail deelnemer", "Keuze 1"
    with pytest.raises(ImportFileError, match="geen kolom met e-mailadressen"):
        import_registrations(db, event, to_csv(header, rows), "a.csv")
    plan = import_registrations(db, event, to_csv(header, rows), "a.csv", mapping={
        "Mail deelnemer": "email", "Keuze 1": "session:voormiddag"})
    assert plan.counts()["added"] == 48 and not plan.warnings
    assert attendees.get_by_email(db, rows[0][2]).sessions["voormiddag"] == "omgeving-wonen"
    with pytest.raises(ImportFileError, match="onbekend veld"):
        import_registrations(db, event, to_csv(header, rows), "a.csv",
                             mapping={"Mail deelnemer": "e-mail"})


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
                                  b"PK\x03\x04garbage", b"", b"\r\n\r\n"])
def test_a_garbled_file_is_a_clear_error_and_changes_nothing(db, event, sample_bytes, data):
    import_registrations(db, event, sample_bytes, "a.csv")
    before = content_of(db)
    with pytest.raises(ImportFileError):
        import_registrations(db, event, data, "b.csv")
    assert content_of(db) == before


def test_an_import_that_fails_half_way_leaves_the_database_as_it_was(db, event, sample_bytes,
                                                                     monkeypatch):
    import_registrations(db, event, sample_bytes, "a.csv")
    header, rows = sample_rows()
    rows[0][1] = "Gewijzigd"
    rows.append(["Nieuw", "Persoon", "nieuw@lier.be", "Lier", "", "", "", "ja", "", "ja", ""])
    before = content_of(db)

    def disk_full(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(imports, "record", disk_full)
    with pytest.raises(OSError):
        import_registrations(db, event, to_csv(header, rows), "b.csv")
    assert content_of(db) == before


@pytest.mark.parametrize("answer", ["geen", "Nvt", "-", "Geen allergieën", "geen bijzondere wensen",
                                    "None", "n.v.t."])
def test_a_diet_answer_that_says_none_is_no_need(db, event, answer):
    header, rows = sample_rows()
    rows[0][8] = answer
    import_registrations(db, event, to_csv(header, rows), "a.csv")
    person = attendees.get_by_email(db, rows[0][2])
    assert (person.diet, person.diets) == ("", [])


def test_a_real_need_that_starts_with_geen_is_kept(db, event):
    header, rows = sample_rows()
    rows[0][8] = "geen varkensvlees"
    rows[1][8] = "Geen noten: allergie"
    import_registrations(db, event, to_csv(header, rows), "a.csv")
    assert attendees.get_by_email(db, rows[0][2]).diets == ["halal"]
    assert attendees.get_by_email(db, rows[1][2]).diets == ["allergy"]
