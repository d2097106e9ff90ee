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
@click.option("--pin", help="A kiosk's staff PIN (4 to 8 digits); asked for when left out.")
def add_station(role: str, name: str, location: str | None, pin: str | None) -> None:
    """Create a station and print its secret token as the last line. A kiosk needs a
    staff PIN, to take the tablet out of kiosk mode.

    \b
    Example:
        python -m kiosk station add --role reception --name "Onthaal 1"
        python -m kiosk station add --role kiosk --name "Kiosk inkom"
    """
    if role == "kiosk" and pin is None:
        pin = click.prompt("Pincode voor het personeel (4 tot 8 cijfers)", hide_input=True,
                           confirmation_prompt="Nog een keer", err=True)
    try:
        station, token = auth.create_station(get_db(), get_event(), role, name, location, pin)
    except StationError as exc:
        raise click.ClickException(f"{exc} ({exc.option})" if exc.option else str(exc)) \
            from None
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


@station_group.command("set")
@click.argument("station_id", type=int)
@click.option("--printer", "printer_name", help="The printer this station prints on (a name "
              "from `printer list`); 'geen' for none.")
@click.option("--print-on-arrival/--no-print-on-arrival", default=None,
              help="Print a badge for everyone this station checks in.")
@click.option("--pin", is_flag=True, help="Set a new kiosk PIN (asked for, never shown).")
def set_station(station_id: int, printer_name: str | None, print_on_arrival: bool | None,
                pin: bool) -> None:
    """Change a station's settings: its printer, print on arrival, a kiosk's PIN.

    \b
    Example:
        python -m kiosk station set 3 --printer "Labels onthaal" --print-on-arrival
    """
    from kiosk.store import printing as printing_store

    printer_id: int | None | bool = False
    if printer_name is not None:
        found = None if printer_name == "geen" else printing_store.printer_named(
            get_db(), printer_name)
        if printer_name != "geen" and (found is None or found.removed_at):
            raise click.ClickException(f"geen printer {printer_name!r} (zie `printer list`)")
        printer_id = found.id if found else None
    new_pin = click.prompt("Nieuwe pincode (4 tot 8 cijfers)", hide_input=True,
                           confirmation_prompt="Nog een keer", err=True) if pin else None
    try:
        value = auth.configure(get_db(), station_id, printer_id=printer_id,
                               print_on_arrival=print_on_arrival, pin=new_pin)
    except StationError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Post {station_id}: printer {value.printer_id or 'geen'}, afdrukken bij "
               f"aankomst {'aan' if value.print_on_arrival else 'uit'}"
               f"{', pincode ingesteld' if value.pin_hash else ''}")
