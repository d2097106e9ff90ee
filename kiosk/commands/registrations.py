"""`import` and `export`: the registration list in, attendance out."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from kiosk.registrations.export import ExportError, export
from kiosk.registrations.importer import ImportPlan, MassCancelError, import_registrations
from kiosk.registrations.reading import ImportFileError, read_file
from kiosk.text import plural
from kiosk.web.context import get_db, get_event

LABELS = [("rows", "rij gelezen", "rijen gelezen"), ("added", "nieuw", "nieuw"),
          ("updated", "gewijzigd", "gewijzigd"), ("unchanged", "ongewijzigd", "ongewijzigd"),
          ("restored", "opnieuw ingeschreven", "opnieuw ingeschreven"),
          ("cancelled", "geannuleerd", "geannuleerd"), ("rejected", "geweigerd", "geweigerd"),
          ("warnings", "waarschuwing", "waarschuwingen")]


def _parse_mapping(values: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for value in values:
        header, sep, field = value.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise click.BadParameter(f"{value!r}: schrijf KOLOM=VELD, bv. 'Mail=email'",
                                     param_hint="--map")
        mapping[header.strip()] = field.strip()
    return mapping


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--partial", is_flag=True,
              help="Only add and update: nobody missing from this file is cancelled.")
@click.option("--allow-mass-cancel", is_flag=True,
              help="Cancel everyone missing from this full list even when that is more "
                   "than 20% of the registrations (or the file has no usable row).")
@click.option("--map", "mapping", multiple=True, metavar="COLUMN=FIELD",
              help="Map a column the importer does not recognise, e.g. 'Mail=email' or "
                   "'Keuze 1=session:voormiddag'. Repeatable.")
@with_appcontext
def import_command(file: str, dry_run: bool, partial: bool, allow_mass_cancel: bool,
                   mapping: tuple[str, ...]) -> None:
    """Import (or re-import) the registration list from a CSV or XLSX file.

    Re-import is keyed on e-mail: new people are added, changes applied, people missing
    from the newer list cancelled. Exits with status 2 when any row was rejected. A full
    list that would cancel more than 20% of the registrations is refused (status 1)
    unless --allow-mass-cancel.

    \b
    Example:
        python -m kiosk import inschrijvingen.csv --dry-run
    """
    try:
        with click.progressbar(length=1, label="Importeren", file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            plan = import_registrations(get_db(), get_event(), read_file(file), file,
                                        dry_run=dry_run, partial=partial,
                                        mapping=_parse_mapping(mapping), progress=progress,
                                        allow_mass_cancel=allow_mass_cancel)
    except MassCancelError as exc:
        _report(exc.plan, "Zou gebeuren: ")
        raise click.ClickException(_refusal(exc.plan)) from None
    except ImportFileError as exc:
        raise click.ClickException(str(exc)) from None
    _report(plan, "Proefimport, niets opgeslagen: " if dry_run else "")
    if dry_run and plan.mass_cancel and not allow_mass_cancel:
        raise click.ClickException(_refusal(plan))
    if plan.rejected:
        raise SystemExit(2)


def _refusal(plan: ImportPlan) -> str:
    return (f"Geweigerd, niets opgeslagen: {plan.mass_cancel}. Geef --allow-mass-cancel om "
            f"die {len(plan.cancelled)} toch te annuleren, of --partial om niemand te "
            "annuleren.")


def _report(plan: ImportPlan, prefix: str) -> None:
    for issue in plan.issues:
        word = "geweigerd" if issue.severity == "error" else "waarschuwing"
        value = f" ({issue.value!r})" if issue.value else ""
        click.echo(f"rij {issue.row_number}: {word}: {issue.reason}{value}", err=True)
    counts = plan.counts()
    click.echo(prefix + " · ".join(plural(counts[key], one, many) for key, one, many in LABELS))


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_command(file: str) -> None:
    """Export attendees and their attendance as CSV or XLSX (by the file's extension).

    \b
    Example:
        python -m kiosk export aanwezigheden.xlsx
    """
    try:
        count = export(get_db(), get_event(), file)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{plural(count, 'deelnemer', 'deelnemers')} geschreven naar {file}")
