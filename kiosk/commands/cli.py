"""The command line: `python -m kiosk COMMAND` (Flask's CLI, built with click).

Logs and progress go to standard error, results to standard output. User errors are
`click.ClickException`s: one clear line, exit status 1.
"""

from __future__ import annotations

import os

import click
from flask import Flask
from flask.cli import FlaskGroup


def _to_env(name: str):
    def callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
        if value:
            os.environ[name] = value
    return callback


def _create_app() -> Flask:
    """The app, or one clear line when the event file or the clock settings are wrong."""
    from kiosk import create_app
    from kiosk.clock import ClockError
    from kiosk.event import EventFileError

    try:
        return create_app()
    except (EventFileError, ClockError) as exc:
        raise click.ClickException(str(exc)) from None


class KioskGroup(FlaskGroup):
    """Flask's CLI group without Flask's own options: kiosk finds its app itself, so
    `--app`, `--env-file` and `--debug` would only confuse `python -m kiosk --help`."""

    FLASK_OPTIONS = ("app", "env_file", "debug")

    def __init__(self, **extra):
        super().__init__(**extra)
        self.params = [p for p in self.params if p.name not in self.FLASK_OPTIONS]

    def invoke(self, ctx: click.Context):
        """A database that cannot be written or opened: one line, no traceback (D11)."""
        import sqlite3

        from kiosk.store import STORAGE_MESSAGES, storage_problem

        try:
            return super().invoke(ctx)
        except sqlite3.Error as exc:
            problem = storage_problem(exc)
            if problem is None:
                raise
            where = os.environ.get("KIOSK_DB") or "de databank"
            raise click.ClickException(f"{where}: {STORAGE_MESSAGES[problem]}") from None


@click.group(cls=KioskGroup, create_app=_create_app, add_default_commands=False,
             add_version_option=False, load_dotenv=False, set_debug_flag=False)
@click.option("--db", metavar="PATH", expose_value=False, is_eager=True,
              callback=_to_env("KIOSK_DB"), help="SQLite file (default: KIOSK_DB or "
              "instance/kiosk.db).")
@click.option("--event", metavar="PATH", expose_value=False, is_eager=True,
              callback=_to_env("KIOSK_EVENT"), help="Event file, TOML (default: KIOSK_EVENT "
              "or the bundled STRATEGIO 2023).")
def main() -> None:
    """kiosk: check-in, badges and live headcounts for one event day.

    \b
    Example:
        python -m kiosk --db strategio.db import inschrijvingen.csv
    """


def register(app: Flask) -> None:
    """Attach every command to the app's CLI (so tests can use app.test_cli_runner())."""
    from kiosk.commands import COMMANDS

    for command in COMMANDS:
        app.cli.add_command(command)
