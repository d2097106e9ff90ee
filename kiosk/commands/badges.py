"""`badges` and `checklist`: print the badges, and the paper list for when all else fails."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from kiosk.printing.checklist import checklist_pdf
from kiosk.printing.face import face_of
from kiosk.printing.sheets import SORTS, PrintRun, print_badges
from kiosk.printing.template import TemplateError, load_template
from kiosk.store import attendees as attendee_store
from kiosk.store import transaction
from kiosk.text import plural
from kiosk.web.context import get_clock, get_db, get_event

SORT_WORDS = {"name": "op naam", "bestuur": "per bestuur"}


@click.command("badges")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the PNGs (in png/) and the PDF(s).")
@click.option("--layout", default="a4", show_default=True,
              help="A layout of the badge template: a6, cr80 or a4 (cards on A4 sheets).")
@click.option("--sort", type=click.Choice(SORTS), default="name", show_default=True,
              help="Alphabetical by last name, or grouped per bestuur.")
@click.option("--only-changed", is_flag=True,
              help="Only badges that are new or changed since they were last printed.")
@click.option("--template", "template_path", type=click.Path(dir_okay=False), default=None,
              help="Badge template (default: badges/template.toml).")
@with_appcontext
def badges_command(out_dir: str, layout: str, sort: str, only_changed: bool,
                   template_path: str | None) -> None:
    """Render every badge (cancelled registrations excepted) as a 300 dpi PNG and as a
    print-ready PDF, and remember which version of each badge was printed.

    \b
    Example:
        python -m kiosk badges --out badges-print --layout a4 --sort bestuur
        python -m kiosk badges --out badges-print --only-changed
    """
    db, event = get_db(), get_event()
    try:
        template = load_template(template_path)
        people = attendee_store.printable(db, only_changed=only_changed)
        if not people:
            click.echo("Geen badges te printen" + (": niets gewijzigd sinds de vorige keer."
                                                   if only_changed else "."))
            return
        with click.progressbar(length=len(people), label="Badges", file=sys.stderr) as bar:
            run = print_badges([face_of(p) for p in people], event, out_dir, layout=layout,
                               sort=sort, template=template,
                               label="changed" if only_changed else "",
                               progress=lambda done, _total: bar.update(done - bar.pos))
    except (TemplateError, OSError) as exc:  # a broken template, a full disk, no permission
        raise click.ClickException(str(exc)) from None
    with transaction(db):
        attendee_store.mark_printed(db, run.printed)
    _summary(run, layout, sort, only_changed, Path(out_dir))


def _summary(run: PrintRun, layout: str, sort: str, only_changed: bool, out: Path) -> None:
    count = len(run.pngs)
    what = "badge" if count == 1 else "badges"
    what = f"nieuwe of gewijzigde {what}" if only_changed else what
    pages = "pagina" if run.pages == 1 else "pagina's"
    click.echo(f"{count} {what} ({layout}, {SORT_WORDS[sort]}), {run.pages} {pages}")
    for pdf in run.pdfs:
        click.echo(f"  {pdf}")
    click.echo(f"  {out / 'png'}/ ({count} PNG, 300 dpi)")


@click.command("checklist")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False),
              help="The PDF file to write.")
@with_appcontext
def checklist_command(out_file: str) -> None:
    """Print the alphabetical paper check-in list: tick box, name, bestuur, rooms per
    block and badge code.

    \b
    Example:
        python -m kiosk checklist --out aanwezigheidslijst.pdf
    """
    people = attendee_store.printable(get_db())
    try:
        data = checklist_pdf([face_of(p) for p in people], get_event(), get_clock().now())
        Path(out_file).parent.mkdir(parents=True, exist_ok=True)
        Path(out_file).write_bytes(data)
    except (TemplateError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{plural(len(people), 'deelnemer', 'deelnemers')} op de aanwezigheidslijst: "
               f"{out_file}")
