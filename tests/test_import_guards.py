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
