"""`report` and `purge`: the report to take home, and the personal data gone after it."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.report import purge
from kiosk.report.writing import write_report
from kiosk.web.console.files import files_folder
from kiosk.web.context import get_clock, get_db, get_event

YES = ("ja", "j", "yes", "y")


@click.command("report")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for report.html, report.pdf, attendance.csv/.xlsx, movements.csv.")
@with_appcontext
def report_command(out_dir: str) -> None:
    """Write the post-event report: report.html (self-contained, with charts), report.pdf,
    and attendance.csv, attendance.xlsx and movements.csv. After `purge` it is made from
    the anonymous figures the purge kept.

    \b
    Example:
        python -m kiosk report --out rapport-strategio
    """
    with click.progressbar(length=1, label="Rapport", file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        try:
            written = write_report(get_db(), get_event(), get_clock(), out_dir, progress)
        except OSError as exc:  # a full disk, a folder we may not write
            raise click.ClickException(str(exc)) from None
    totals = written.figures["totals"]
    source = "(na purge, uit de bewaarde totalen) " if written.figures["purged"] else ""
    click.echo(f"Rapport {source}in {out_dir}: {totals['registered']} ingeschreven, "
               f"{totals['arrived']} gekomen, {totals['no_shows']} niet gekomen, "
               f"{totals['walk_ins']} ter plaatse.")
    for path in written.files:
        click.echo(f"  {path}")


@click.command("purge")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def purge_command(yes: bool) -> None:
    """Remove the personal data after the event: every attendee (names, e-mails,
    functions, diets, comments, badge codes), the movement log and the import log's rows,
    and the console's files. Keeps the report's anonymous figures (per bestuur, theme,
    time bucket, meal, station), so `report` still works. Stop the server first.

    \b
    Example:
        python -m kiosk purge
    """
    db, folder = get_db(), files_folder(current_app)
    going = purge.what_would_go(db)
    click.echo(f"Dit verwijdert {going['attendees']} deelnemers (namen, e-mailadressen, "
               f"functies, dieetwensen, opmerkingen, badgecodes), {going['movements']} scans "
               f"en {going['import_rows']} regels uit het importlogboek, en de bestanden in "
               f"{folder}. De totalen voor het rapport blijven.", err=True)
    if not yes:
        answer = click.prompt("Persoonsgegevens definitief verwijderen? Typ ja om te "
                              "bevestigen", default="nee", err=True)
        if answer.strip().lower() not in YES:
            raise click.ClickException("Niets verwijderd.")
    done = purge.purge(db, get_event(), get_clock(), Path(folder))
    kept = "bewaard" if done.kept_figures else "van de vorige purge behouden"
    click.echo(f"Verwijderd: {done.counts['attendees']} deelnemers, {done.counts['movements']} "
               f"scans, {done.counts['import_rows']} importregels, {done.files_removed} "
               f"bestanden. Totalen voor het rapport {kept}.")
    if not done.wal_emptied:
        click.echo("Let op: een andere verbinding (draait de server nog?) hield het "
                   "WAL-bestand open; stop de server en voer purge opnieuw uit om het te "
                   "legen.", err=True)
