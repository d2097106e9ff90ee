"""`serve` and `demo`: run the web service."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.demo import demo_csv
from kiosk.importer import import_registrations
from kiosk.store import attendees as attendee_store
from kiosk.web.context import get_db, get_event


def _serve(host: str, port: int) -> None:
    from kiosk.server import serve

    click.echo(f"kiosk serving {get_event().name} on http://{host}:{port}", err=True)
    serve(current_app._get_current_object(), host, port)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int) -> None:
    """Serve the web pages, the API and Socket.IO.

    \b
    Example:
        python -m kiosk --db strategio.db serve --host 0.0.0.0 --port 5000
    """
    _serve(host, port)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Only load the demo data.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Load fictional STRATEGIO registrations (once), then serve them.

    \b
    Example:
        python -m kiosk --db instance/demo.db demo
    """
    db, event = get_db(), get_event()
    if not attendee_store.all_attendees(db):
        plan = import_registrations(db, event, demo_csv(event), "demo.csv")
        click.echo(f"Demo geladen: {len(plan.added)} fictieve inschrijvingen", err=True)
    if not no_serve:
        _serve(host, port)
