"""`backup`: a consistent copy of the database, while the server runs."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.store.backup import BackupError, backup


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite FILE when it exists.")
@with_appcontext
def backup_command(file: str, force: bool) -> None:
    """Copy the database to FILE while the server keeps running (SQLite's backup API),
    and check the copy with PRAGMA integrity_check.

    \b
    Example:
        python -m kiosk --db strategio.db backup usb/strategio-1030.db
    """
    try:
        made = backup(current_app.config["DATABASE"], file, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Kopie gemaakt: {made.path} ({made.size / 1e6:.1f} MB, {made.attendees} "
               f"deelnemers, {made.movements} bewegingen, integriteit ok, {made.seconds:.2f} s)")
