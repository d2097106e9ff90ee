"""`serve` and `demo`: run the web service."""

from __future__ import annotations

import hashlib
import hmac

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk import auth, green
from kiosk.demo import DEMO_STATIONS, demo_csv
from kiosk.importer import import_registrations
from kiosk.store import attendees as attendee_store
from kiosk.store import stations as station_store
from kiosk.web.context import get_db, get_event


def _serve(host: str, port: int, certfile: str | None = None, keyfile: str | None = None,
           connections: int = 1000) -> None:
    from kiosk.server import serve

    scheme, mode = "https" if certfile else "http", "gevent" if green.active() else "threads"
    click.echo(f"kiosk serving {get_event().name} on {scheme}://{host}:{port} ({mode})",
               err=True)
    serve(current_app._get_current_object(), host, port, connections=connections,
          certfile=certfile, keyfile=keyfile)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--cert", "certfile", type=click.Path(exists=True, dir_okay=False),
              help="TLS certificate (PEM) for HTTPS: tablets need HTTPS for their camera.")
@click.option("--key", "keyfile", type=click.Path(exists=True, dir_okay=False),
              help="The certificate's private key (PEM).")
@click.option("--self-signed", is_flag=True,
              help="Serve HTTPS with a certificate generated once into the instance folder.")
@click.option("--connections", default=1000, show_default=True,
              type=click.IntRange(16, 10_000),
              help="Open connections at once: every tablet and screen holds one.")
@with_appcontext
def serve_command(host: str, port: int, certfile: str | None, keyfile: str | None,
                  self_signed: bool, connections: int) -> None:
    """Serve the web pages, the API and Socket.IO (gunicorn, one process, gevent).

    \b
    Example:
        python -m kiosk --db strategio.db serve --host 0.0.0.0 --port 8443 --self-signed
    """
    if bool(certfile) != bool(keyfile):
        raise click.UsageError("--cert and --key go together")
    if self_signed:
        from kiosk.tls import ensure_self_signed

        certfile, keyfile = ensure_self_signed(current_app.instance_path, host)
        click.echo(f"Certificate: {certfile} (tablets accept it once; see the README)",
                   err=True)
    _serve(host, port, certfile, keyfile, connections)


def demo_tokens(secret: str) -> dict[str, str]:
    """Stable demo tokens derived from the instance secret, so the demo's buttons keep
    working across restarts without storing a token anywhere."""
    return {role: hmac.new(secret.encode(), f"demo-station-{role}".encode(),
                           hashlib.sha256).hexdigest() for role in DEMO_STATIONS}


def ensure_demo_stations(db, secret: str) -> dict[str, dict[str, str]]:
    """One station per role for the demo; returns {role: {token, label}}."""
    result = {}
    for role, token in demo_tokens(secret).items():
        label, location = DEMO_STATIONS[role]
        if auth.authenticate(db, token) is None:
            station_store.insert(db, f"Demo · {label}", role, location, auth.hash_token(token),
                                 "demo")
        result[role] = {"token": token, "label": label}
    return result


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Only load the demo data.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Load fictional STRATEGIO registrations (once), then serve them.

    The start page then offers one button per role (reception, room host, caterer,
    organiser) that pairs the browser as that demo station.

    \b
    Example:
        python -m kiosk --db instance/demo.db demo
    """
    db, event = get_db(), get_event()
    if not attendee_store.all_attendees(db):
        plan = import_registrations(db, event, demo_csv(event), "demo.csv")
        click.echo(f"Demo geladen: {len(plan.added)} fictieve inschrijvingen", err=True)
    current_app.config["DEMO_STATIONS"] = ensure_demo_stations(
        db, current_app.config["SECRET_KEY"])
    if not no_serve:
        click.echo(f"Open http://localhost:{port}/ en kies een rol.", err=True)
        _serve(host, port)
