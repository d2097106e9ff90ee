"""The import against a clumsy organiser (issue 11): a header-only or wrong file does not
cancel everyone, a rejected row leaves its person as they were, control characters and a
stray Windows-1252 line do not slip in silently, and a file too long is refused."""

from __future__ import annotations

import re

import pytest

from kiosk.registrations.importer import MassCancelError, import_registrations
from kiosk.store import attendees, imports
from tests.registration_files import sample_rows, to_csv
from tests.test_console import count, token_of, upload, wait_for

HEADER_ONLY = to_csv(sample_rows()[0], [])


def statuses(db) -> dict[str, str]:
    return {a.email: a.status for a in attendees.all_attendees(db)}


# --- D3: mass cancellation ------------------------------------------------------------------


def test_a_header_only_file_cancels_nobody_and_says_how_many_it_would(loaded, event):
    before = statuses(loaded)
    with pytest.raises(MassCancelError, match="alle 48 inschrijvingen"):
        import_registrations(loaded, event, HEADER_ONLY, "leeg.csv")
    assert statuses(loaded) == before and imports.latest(loaded)["filename"] != "leeg.csv"


def test_a_file_of_only_rejected_rows_cancels_nobody(loaded, event):
    header, rows = sample_rows()
    for row in rows:
        row[2] = "geen-adres"  # every e-mail broken: no usable row
    with pytest.raises(MassCancelError, match="geen enkele bruikbare rij"):
        import_registrations(loaded, event, to_csv(header, rows), "kapot.csv")
    assert attendees.count_by_status(loaded)["cancelled"] == 0


def test_cancelling_more_than_a_fifth_needs_to_be_allowed(loaded, event):
    header, rows = sample_rows()
    shorter = to_csv(header, rows[:38])  # 10 of 48 missing: 21%
    plan = import_registrations(loaded, event, shorter, "kort.csv", dry_run=True)
    assert plan.mass_cancel and "10 van de 48" in plan.mass_cancel
    with pytest.raises(MassCancelError):
        import_registrations(loaded, event, shorter, "kort.csv")
    assert attendees.count_by_status(loaded)["cancelled"] == 0
    plan = import_registrations(loaded, event, shorter, "kort.csv", allow_mass_cancel=True)
    assert plan.counts()["cancelled"] == 10
    assert attendees.count_by_status(loaded)["cancelled"] == 10


def test_a_fifth_or_less_and_partial_imports_are_not_held_up(loaded, event):
    header, rows = sample_rows()
    plan = import_registrations(loaded, event, to_csv(header, rows[:39]), "a.csv")
    assert plan.counts()["cancelled"] == 9 and plan.mass_cancel is None  # 19%
    plan = import_registrations(loaded, event, HEADER_ONLY, "b.csv", partial=True)
    assert plan.counts()["cancelled"] == 0


def test_the_command_line_refuses_and_names_the_flag(runner, loaded, tmp_path):
    path = tmp_path / "leeg.csv"
    path.write_bytes(HEADER_ONLY)
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "Geweigerd, niets opgeslagen" in result.output and "--allow-mass-cancel" in \
        result.output and "alle 48 inschrijvingen" in result.output
    dry = runner.invoke(args=["import", str(path), "--dry-run"])
    assert dry.exit_code == 1 and "--allow-mass-cancel" in dry.output
    assert attendees.count_by_status(loaded)["cancelled"] == 0
    allowed = runner.invoke(args=["import", str(path), "--allow-mass-cancel"])
    assert allowed.exit_code == 0 and attendees.count_by_status(loaded)["cancelled"] == 48


def test_the_console_preview_warns_and_the_import_needs_the_box_ticked(paired, loaded):
    organiser = paired("organiser")
    preview = upload(organiser, HEADER_ONLY).headers["Location"]
    page = organiser.get(preview).get_data(as_text=True)
    assert "data-mass-cancel" in page and "alle 48 inschrijvingen" in page
    assert 'name="allow_mass_cancel"' in page
    action = re.search(r'action="([^"]+/confirm)"', page).group(1)
    job = wait_for(organiser, organiser.post(action, data={"csrf": token_of(organiser)})
                   .headers["Location"])
    assert job["state"] == "failed" and "Geweigerd" in job["error"]
    assert count(loaded, "cancelled") == 0
    again = upload(organiser, HEADER_ONLY).headers["Location"]
    action = re.search(r'action="([^"]+/confirm)"', organiser.get(again).get_data(as_text=True)
                       ).group(1)
    job = wait_for(organiser, organiser.post(action, data={
        "csrf": token_of(organiser), "allow_mass_cancel": "1"}).headers["Location"])
    assert job["state"] == "done" and count(loaded, "cancelled") == 48


# --- D4: a rejected row leaves its person as they were ----------------------------------------


@pytest.mark.parametrize(("column", "value", "reason"), [
    (0, "x" * 600, "waarde te lang"),
    (0, "", "naam ontbreekt"),
])
def test_a_rejected_row_leaves_a_registered_person_as_they_were(loaded, event, column, value,
                                                                reason):
    header, rows = sample_rows()
    rows[3][column] = value
    if reason == "naam ontbreekt":
        rows[3][1] = ""
    before = attendees.get_by_email(loaded, rows[3][2])
    plan = import_registrations(loaded, event, to_csv(header, rows), "b.csv")
    assert [i.reason[:len(reason)] for i in plan.rejected] == [reason]
    assert plan.counts()["cancelled"] == 0
    assert attendees.get_by_email(loaded, rows[3][2]) == before


# --- D6: control characters in, and out -------------------------------------------------------


def test_control_characters_are_removed_from_imported_cells_with_a_warning(db, event):
    header, rows = sample_rows()
    rows[0][0] = "Yas\x07mine"  # BEL: row 2
    rows[1][1] = "\x1b[31mVermeulen"  # ESC: row 3
    rows[2][4] = "Dienst\x00hoofd"  # NUL: row 4
    plan = import_registrations(db, event, to_csv(header, rows), "a.csv")
    assert plan.counts()["added"] == 48 and not plan.rejected
    assert sorted(i.row_number for i in plan.warnings) == [2, 3, 4]
    assert {i.reason for i in plan.warnings} == {"onzichtbare stuurtekens verwijderd: kijk "
                                                 "de waarden na"}
    assert attendees.get_by_email(db, rows[0][2]).first_name == "Yasmine"
    assert attendees.get_by_email(db, rows[1][2]).last_name == "[31mVermeulen"
    assert attendees.get_by_email(db, rows[2][2]).function == "Diensthoofd"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_never_crashes_on_control_characters_already_stored(runner, loaded, tmp_path,
                                                                   suffix):
    """Stored before the door was closed: the export leaves them out, and reads back."""
    loaded.execute("UPDATE attendees SET first_name = ?, comments = ? WHERE id = 1",
                   ["Be\x07l\x00", "e\x1bsc"])
    out = tmp_path / f"uit{suffix}"
    result = runner.invoke(args=["export", str(out)])
    assert result.exit_code == 0, result.output
    from kiosk.registrations.reading import read_table

    table = read_table(out.read_bytes(), out.name)
    cells = [c for _, row in table.rows for c in row]
    assert "Bel" in cells and "esc" in cells and not table.notes


# --- D9: one Windows-1252 line in a UTF-8 file --------------------------------------------------


def test_a_windows_1252_line_in_a_utf8_file_is_read_right_and_named(db, event):
    header, rows = sample_rows()
    utf8 = to_csv(header, rows).split(b"\r\n")
    zoe = next(i for i, r in enumerate(rows) if r[0] == "Zoë")
    pieter = next(i for i, r in enumerate(rows) if r[1] == "Çelik")
    utf8[zoe + 1] = ";".join(rows[zoe]).encode("cp1252")  # pasted from an old file
    plan = import_registrations(db, event, b"\r\n".join(utf8), "gemengd.csv")
    assert attendees.get_by_email(db, rows[zoe][2]).first_name == "Zoë"
    assert attendees.get_by_email(db, rows[pieter][2]).last_name == "Çelik"  # UTF-8 intact
    mixed = [i for i in plan.warnings if "Windows-1252" in i.reason]
    assert [i.row_number for i in mixed] == [zoe + 2]


def test_a_file_all_in_windows_1252_gets_no_warning(db, event):
    header, rows = sample_rows()
    plan = import_registrations(db, event, to_csv(header, rows, encoding="cp1252"), "a.csv")
    assert not plan.warnings


# --- D12: a row limit, and a stream --------------------------------------------------------------


@pytest.mark.parametrize("shape", ["csv", "xlsx"])
def test_a_file_past_the_row_limit_is_refused_with_the_limit(db, event, monkeypatch, shape):
    from kiosk.registrations import reading
    from tests.registration_files import to_xlsx

    monkeypatch.setattr(reading, "MAX_ROWS", 40)
    header, rows = sample_rows()
    data = to_csv(header, rows) if shape == "csv" else to_xlsx(header, rows)
    with pytest.raises(reading.ImportFileError, match="meer dan 40 rijen"):
        import_registrations(db, event, data, f"lang.{shape}", dry_run=True)
    monkeypatch.setattr(reading, "MAX_ROWS", 48)  # exactly at the limit: fine
    assert import_registrations(db, event, data, f"a.{shape}").counts()["added"] == 48


def test_a_stray_cell_far_to_the_right_does_not_widen_every_row(db, event):
    import io

    import openpyxl

    header, rows = sample_rows()
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(row)
    sheet.cell(row=3, column=16000, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    from kiosk.registrations.reading import MAX_COLUMNS, read_table

    table = read_table(buffer.getvalue(), "breed.xlsx")
    assert max(len(cells) for _, cells in table.rows) <= MAX_COLUMNS
    assert import_registrations(db, event, buffer.getvalue(), "breed.xlsx").counts()[
        "added"] == 48
