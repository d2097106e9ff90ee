"""`station add|list|revoke`: the devices that may scan and watch."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from kiosk.checkin import auth
from kiosk.checkin.auth import ROLES, StationError
from kiosk.web.context import get_db, get_event

station_group = AppGroup("station", help="Pair tablets and screens: add, list, revoke.")


@station_group.command("add")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", required=True, help="What staff call the device, e.g. 'Onthaal 1'.")
@click.option("--location", help="A location id from the event file (default for reception: "
                                 "the first reception desk).")
def add_station(role: str, name: str, location: str | None) -> None:
    """Create a station and print its secret token as the last line.

    \b
    Example:
        python -m kiosk station add --role reception --name "Onthaal 1"
    """
    try:
        station, token = auth.create_station(get_db(), get_event(), role, name, location)
    except StationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Post {station.id} '{station.name}' ({station.role}"
               f"{', ' + station.location if station.location else ''})")
    click.echo("Koppel een toestel door /pair/<sleutel> te openen. Sleutel (maar één keer "
               "getoond):")
    click.echo(token)


@station_group.command("list")
def list_stations() -> None:
    """List the stations with their last contact."""
    for s in auth.list_stations(get_db()):
        state = "ingetrokken" if s.revoked_at else f"laatst gezien {s.last_seen_at or 'nooit'}"
        click.echo(f"{s.id:>3}  {s.role:<10} {s.location or '-':<14} {s.name}  ({state})")


@station_group.command("revoke")
@click.argument("station_id", type=int)
def revoke_station(station_id: int) -> None:
    """Revoke a station: its token and paired browser stop working at once."""
    if not auth.revoke_station(get_db(), station_id):
        raise click.ClickException(f"geen actieve post met nummer {station_id}")
    click.echo(f"Post {station_id} ingetrokken")
