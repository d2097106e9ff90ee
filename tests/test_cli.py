"""The command line: results on stdout, problems on stderr, exit status that scripts trust."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import openpyxl

from kiosk.store import attendees
from tests.conftest import SAMPLE
from tests.registration_files import sample_rows, to_csv


def test_import_prints_a_summary_and_exits_zero(runner, app):
    result = runner.invoke(args=["import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert "48 nieuw" in result.stdout and "0 geweigerd" in result.stdout


def test_import_with_a_rejected_row_exits_non_zero_and_names_the_row(runner, tmp_path):
    header, rows = sample_rows()
    rows[3][2] = "geen-adres"
    path = tmp_path / "lijst.csv"
    path.write_bytes(to_csv(header, rows))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 2
    assert "rij 5: geweigerd: ongeldig e-mailadres ('geen-adres')" in result.stderr
    assert "47 nieuw" in result.stdout


def test_dry_run_says_so_and_writes_nothing(runner, app, db):
    result = runner.invoke(args=["import", "--dry-run", str(SAMPLE)])
    assert result.exit_code == 0
    assert result.stdout.startswith("Proefimport, niets opgeslagen: 48 rijen gelezen · 48 nieuw")
    assert attendees.all_attendees(db) == []


def test_a_missing_file_is_one_clear_line(runner, tmp_path):
    result = runner.invoke(args=["import", str(tmp_path / "nope.csv")])
    assert result.exit_code == 1
    assert "bestand niet gevonden" in result.stderr


def test_map_option_maps_an_unknown_column(runner, tmp_path):
    header, rows = sample_rows()
    header[2] = "Mail deelnemer"
    path = tmp_path / "lijst.csv"
    path.write_bytes(to_csv(header, rows))
    result = runner.invoke(args=["import", str(path), "--map", "Mail deelnemer=email"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=["import", str(path), "--map", "Mail deelnemer"])
    assert bad.exit_code == 2 and "KOLOM=VELD" in bad.stderr


def test_export_csv_has_the_promised_columns_and_the_badge_codes(runner, db, tmp_path):
    runner.invoke(args=["import", str(SAMPLE)])
    out = tmp_path / "aanwezig.csv"
    result = runner.invoke(args=["export", str(out)])
    assert result.exit_code == 0 and "48 deelnemers" in result.stdout
    reader = csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig")))
    exported = list(reader)
    for column in ["email", "first_name", "last_name", "organisation", "status", "badge_code",
                   "checked_in_at"]:
        assert column in reader.fieldnames
    by_email = {a.email: a for a in attendees.all_attendees(db)}
    assert {r["email"]: r["badge_code"] for r in exported} == {
        e: a.badge_code for e, a in by_email.items()}
    assert {r["status"] for r in exported} == {"registered"}
    assert {r["checked_in_at"] for r in exported} == {""}


def test_export_xlsx_and_check_in_time_in_local_time(runner, db, tmp_path):
    runner.invoke(args=["import", str(SAMPLE)])
    person = attendees.get_by_email(db, "zoe.janssens@putte.be")
    db["movements"].insert({"attendee_id": person.id, "location": "onthaal", "direction": "in",
                            "kind": "scan", "recorded_at": "2023-05-23T07:04:09.120+00:00"})
    out = tmp_path / "aanwezig.xlsx"
    assert runner.invoke(args=["export", str(out)]).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2,
                                                                           values_only=True)}
    assert rows["zoe.janssens@putte.be"]["checked_in_at"] == "2023-05-23T09:04:09+02:00"
    assert rows["zoe.janssens@putte.be"]["first_name"] == "Zoë"


def test_export_to_an_unknown_extension_is_refused(runner, tmp_path):
    result = runner.invoke(args=["export", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1 and ".csv of .xlsx" in result.stderr


def test_python_dash_m_kiosk_takes_db_before_the_command(tmp_path):
    db_file = tmp_path / "cli.db"
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--db", str(db_file), "import", "--dry-run",
         str(SAMPLE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "48 nieuw" in result.stdout
    assert db_file.exists()


def kiosk_command(*args: str, cwd, **env: str) -> subprocess.CompletedProcess:
    """`python -m kiosk ARGS` in a folder of the test's choosing."""
    import os

    return subprocess.run([sys.executable, "-m", "kiosk", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, env=dict(os.environ, **env))


def test_help_lists_kiosk_s_options_not_flask_s(tmp_path):
    """`--help` shows --db and --event; Flask's --app, --env-file and --debug would only
    confuse (kiosk finds its app itself)."""
    result = kiosk_command("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "--db" in result.stdout and "--event" in result.stdout
    for flask_option in ("--app", "--env-file", "--debug", "-A", "-e,"):
        assert flask_option not in result.stdout


def test_a_broken_event_file_is_one_line_not_a_traceback(tmp_path):
    """A tired organiser's typo in the event file: one `Error:` line naming the key."""
    broken = tmp_path / "dag.toml"
    broken.write_text("[event]\nname = 'X'\ndate = 'gisteren'\n", encoding="utf-8")
    result = kiosk_command("--event", str(broken), "export", str(tmp_path / "x.csv"),
                           cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.csv").exists()


def test_the_kiosk_command_works_from_any_folder(tmp_path):
    """`make` installs the project (pip install -e .): the `kiosk` console script runs from
    any folder, not only from the repository's root."""
    from pathlib import Path

    script = Path(sys.executable).with_name("kiosk")
    assert script.exists(), "the kiosk command is missing: run `make test` (pip install -e .)"
    result = subprocess.run([str(script), "--db", str(tmp_path / "k.db"), "export",
                             str(tmp_path / "out.csv")], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"0 deelnemers geschreven naar {tmp_path / 'out.csv'}\n"


def test_counts_say_one_in_the_singular(runner, tmp_path):
    """'1 waarschuwing', '1 rij gelezen': every count the commands print agrees with it."""
    header, rows = sample_rows()
    rows = rows[:1]
    rows[0][5] = "Ruimtevaart"  # an unknown theme: imported, with one warning
    path = tmp_path / "een.csv"
    path.write_bytes(to_csv(header, rows))
    result = runner.invoke(args=["import", str(path)])
    assert "1 rij gelezen · 1 nieuw" in result.stdout
    assert result.stdout.rstrip().endswith("0 geweigerd · 1 waarschuwing")
    out = tmp_path / "een-export.csv"
    assert runner.invoke(args=["export", str(out)]).stdout == \
        f"1 deelnemer geschreven naar {out}\n"
