"""`simulate` and `reset --rehearsal`: play a day against a running server, and wipe it."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator

import click
from flask.cli import with_appcontext

from kiosk.checkin import auth
from kiosk.clock import ClockError, parse_time
from kiosk.rehearsal import wipe
from kiosk.rehearsal.simulator import Options, SimulationError, run, run_loop
from kiosk.text import plural
from kiosk.web.context import get_db, get_event


@click.command("simulate")
@click.option("--url", required=True, help="The running server, e.g. http://127.0.0.1:5000.")
@click.option("--token", envvar="KIOSK_TOKEN", default=None,
              help="An organiser station's token (or KIOSK_TOKEN). Without it, a temporary "
                   "organiser station is made in --db, which must be the server's database.")
@click.option("--speed", type=click.FloatRange(0, 10_000, min_open=True), default=None,
              help="Set the server's rehearsal clock to this speed (event seconds per real "
                   "second). Default: as fast as it runs already.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same seed plays the same day.")
@click.option("--stations", "desks", type=click.IntRange(1, 30), default=3, show_default=True,
              help="Reception desks (the rooms, buffet, tapas and exit get one each).")
@click.option("--until", metavar="TIME", default=None,
              help="Stop after this event time (e.g. 10:15): a short morning.")
@click.option("--wait", "wait_s", type=click.FloatRange(0, 600), default=0,
              help="Seconds to wait for the server to answer before giving up.")
@click.option("--loop", is_flag=True,
              help="Play the day again and again (the living demo), wiping the rehearsal "
                   "and setting the clock back in between.")
@click.option("--watch-parent", is_flag=True, hidden=True,
              help="Stop when the process that started this one ends (the demo).")
@with_appcontext
def simulate_command(url: str, token: str | None, speed: float | None, seed: int, desks: int,
                     until: str | None, wait_s: float, loop: bool, watch_parent: bool) -> None:
    """Play a realistic day against a running server, through its HTTP API, with stations
    of its own: arrivals, walk-ins, room changes, lunch and tapas, leavers, a desk that
    loses the network, mistakes undone. The server must run on a rehearsal clock.

    \b
    Example:
        python -m kiosk --db strategio.db serve --clock 08:45 &
        python -m kiosk --db strategio.db simulate --url http://127.0.0.1:5000 --speed 60
    """
    event = get_event()
    try:
        last = parse_time(until, event.date, event.tz) if until else None
    except ClockError as exc:
        raise click.BadParameter(str(exc), param_hint="--until") from None
    options = Options(seed=seed, speed=speed, desks=desks, until=last,
                      progress=lambda line: click.echo(line, err=True))
    # Stopped from outside (the demo stopping, `kill`): end calmly, revoking its stations.
    signal.signal(signal.SIGTERM, lambda *_: options.stop.set())
    if watch_parent:
        _stop_with_parent(options.stop)
    with _organiser_token(token) as key:
        try:
            _wait_for(url, wait_s)
            if loop:
                run_loop(url, key, event, options)
                return
            report = run(url, key, event, options)
        except SimulationError as exc:
            raise click.ClickException(str(exc)) from None
    if report.interrupted:
        click.echo("Onderbroken: de posten van de simulator zijn ingetrokken.", err=True)
    for line in report.summary():
        click.echo(line)


@contextlib.contextmanager
def _organiser_token(token: str | None) -> Iterator[str]:
    """The token given, or a temporary organiser station in --db, revoked afterwards."""
    if token:
        yield token
        return
    db = get_db()
    station, made = auth.create_station(db, get_event(), "organiser", "simulator · organisator")
    try:
        yield made
    finally:
        auth.revoke_station(db, station.id)


def _wait_for(url: str, seconds: float) -> None:
    """Wait until something answers at `url` (the demo starts the server and the
    simulator together)."""
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.5)


def _stop_with_parent(stop: threading.Event) -> None:
    parent = os.getppid()

    def watch() -> None:
        while not stop.wait(1):
            if os.getppid() != parent:
                stop.set()
    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


@click.command("reset")
@click.option("--rehearsal", "wipe_rehearsal", is_flag=True,
              help="Wipe what rehearsals left: their scans, undos and walk-ins.")
@with_appcontext
def reset_command(wipe_rehearsal: bool) -> None:
    """Wipe a rehearsal. Registrations, badge codes, printed badges and real check-ins
    stay as they are.

    \b
    Example:
        python -m kiosk --db strategio.db reset --rehearsal
    """
    if not wipe_rehearsal:
        raise click.UsageError("zeg wat er gewist wordt: --rehearsal (de scans en "
                               "walk-ins van repetities)")
    wiped = wipe.rehearsals(get_db(), simulator_stations=True)
    walk_ins = plural(wiped.walk_ins, "ter plaatse ingeschreven deelnemer",
                      "ter plaatse ingeschreven deelnemers")
    click.echo(f"Repetitie gewist: {plural(wiped.movements, 'scan', 'scans')} en {walk_ins} "
               f"verwijderd"
               + (f", {plural(wiped.stations, 'post', 'posten')} van de simulator ingetrokken"
                  if wiped.stations else "")
               + ". Inschrijvingen, badgecodes en echte aanmeldingen blijven.")
