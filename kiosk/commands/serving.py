"""`serve` and `demo`: run the web service."""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import hashlib
import hmac
import os
import subprocess
import sys
from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.checkin import auth
from kiosk.clock import ClockError, EventClock, from_settings
from kiosk.registrations.demo import DEMO_STATIONS, demo_csv
from kiosk.registrations.importer import import_registrations
from kiosk.rehearsal import wipe
from kiosk.rehearsal.plan import opening
from kiosk.serving import green
from kiosk.store import attendees as attendee_store
from kiosk.store import stations as station_store
from kiosk.web import publicurl
from kiosk.web.context import get_clock, get_db, get_event, set_clock

DEMO_SPEED = 20.0  # 08:45 to 18:30 in about half an hour
DEMO_LEAD_MINUTES = 15
DEMO_DAY_HOURS = 9.75  # from 08:45 to the last exits of the evening


def clock_options(command: Callable) -> Callable:
    """--clock and --speed: run the service on a rehearsal clock (kiosk.clock)."""
    @click.option("--clock", "clock_at", envvar="KIOSK_CLOCK", metavar="TIME",
                  help="Rehearse: the service believes it is TIME on the event day "
                       "(09:40 or 2023-05-23T09:40). Default: the real clock.")
    @click.option("--speed", envvar="KIOSK_SPEED", type=float, default=None,
                  help="With --clock: event seconds per real second (default 1; 0 stops "
                       "the clock).")
    @functools.wraps(command)
    def wrapped(*args, clock_at: str | None, speed: float | None, **kwargs):
        event = get_event()
        try:
            set_clock(from_settings(clock_at, speed, event.date, event.tz))
        except ClockError as exc:
            raise click.BadParameter(str(exc), param_hint="--clock/--speed") from None
        return command(*args, **kwargs)
    return wrapped


def describe_clock(clock: EventClock) -> str:
    """'echte klok' or 'REPETITIE ×20, klok op di 23/05/2023 09:40'."""
    if not clock.rehearsal:
        return "echte klok"
    speed = f"×{clock.speed:g}" if clock.speed else "stilstaand"
    return f"REPETITIE {speed}, klok op {clock.now().strftime('%d/%m/%Y %H:%M')}"


def _serve(host: str, port: int, certfile: str | None = None, keyfile: str | None = None,
           connections: int = 4000, workers: int = 1, queue: str | None = None) -> None:
    from kiosk.serving.server import serve

    # Prints go to a spooler process of its own, started with the first print job (and now,
    # when jobs wait from before a restart): a printer that hangs never holds up a scan.
    current_app.config["SPOOLER"] = "process"
    from kiosk.web import printing

    printing.start_if_waiting(current_app._get_current_object())
    scheme, mode = "https" if certfile else "http", "gevent" if green.active() else "threads"
    if queue:
        mode += f", {workers} worker{'s' if workers > 1 else ''} over {queue}"
    click.echo(f"kiosk serving {get_event().name} on {scheme}://{host}:{port} ({mode})",
               err=True)
    click.echo(f"Klok: {describe_clock(get_clock())}", err=True)
    current_app.config["LISTEN_HOST"] = host  # kiosk.web.publicurl: is the LAN reachable?
    for line in publicurl.startup_lines(host, port, scheme):
        click.echo(line, err=True)
    app = current_app._get_current_object()
    build = functools.partial(_worker_app, app, queue, workers) if queue else None
    serve(app, host, port, connections=connections, certfile=certfile, keyfile=keyfile,
          workers=workers, build=build)


def _worker_app(master, queue: str | None, workers: int):
    """A worker's own app, made after the fork (kiosk/web/workers.py says why), with the
    master's settings (the spooler, the public URL, the demo's) and clock."""
    from kiosk import create_app

    app = create_app(dict(master.config, MESSAGE_QUEUE=queue, WORKERS=workers))
    app.extensions["kiosk.clock"] = master.extensions["kiosk.clock"]
    return app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--cert", "certfile", type=click.Path(exists=True, dir_okay=False),
              help="TLS certificate (PEM) for HTTPS: tablets need HTTPS for their camera.")
@click.option("--key", "keyfile", type=click.Path(exists=True, dir_okay=False),
              help="The certificate's private key (PEM).")
@click.option("--self-signed", is_flag=True,
              help="Serve HTTPS with a certificate generated once into the instance folder.")
@click.option("--connections", default=4000, show_default=True,
              type=click.IntRange(16, 20_000),
              help="Open connections at once (per worker): every tablet and screen holds one.")
@click.option("--public-url", envvar="KIOSK_PUBLIC_URL", metavar="URL",
              help="Where tablets reach the service, e.g. https://192.168.1.20:8443: what "
                   "pairing QR codes hold. Default: this machine's LAN address.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Worker processes; more than one needs --message-queue.")
@click.option("--message-queue", "queue", envvar="KIOSK_MESSAGE_QUEUE", metavar="URL",
              help="Redis shared by several workers or several `serve` processes, e.g. "
                   "redis://127.0.0.1:6379/0.")
@with_appcontext
@clock_options
def serve_command(host: str, port: int, certfile: str | None, keyfile: str | None,
                  self_signed: bool, connections: int, public_url: str | None, workers: int,
                  queue: str | None) -> None:
    """Serve the web pages, the API and Socket.IO (gunicorn, one process, gevent).

    \b
    Example:
        python -m kiosk --db strategio.db serve --host 0.0.0.0 --port 8443 --self-signed
        python -m kiosk --db strategio.db serve --clock 2023-05-23T12:40 --speed 60
        python -m kiosk --db strategio.db serve --workers 2 \\
            --message-queue redis://127.0.0.1:6379/0
    """
    if bool(certfile) != bool(keyfile):
        raise click.UsageError("--cert and --key go together")
    if public_url:
        try:
            current_app.config["PUBLIC_URL"] = publicurl.normalise(public_url)
        except publicurl.PublicUrlError as exc:
            raise click.BadParameter(str(exc), param_hint="--public-url") from None
    if workers > 1 and not queue:
        raise click.UsageError("--workers above 1 needs --message-queue redis://…")
    if queue and not queue.startswith(("redis://", "rediss://", "unix://")):
        raise click.UsageError(f"--message-queue {queue}: only redis:// is supported")
    if self_signed:
        from kiosk.serving.tls import ensure_self_signed

        certfile, keyfile = ensure_self_signed(current_app.instance_path, host)
        click.echo(f"Certificate: {certfile} (tablets accept it once; see the README)",
                   err=True)
    _serve(host, port, certfile, keyfile, connections, workers, queue)


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
@click.option("--still", is_flag=True,
              help="No simulated day: nobody arrives by themselves, and the clock is the "
                   "real one (or what --clock and --speed say).")
@click.option("--clock", "clock_at", envvar="KIOSK_CLOCK", metavar="TIME", default=None,
              help=f"Where the demo's day starts (default: {DEMO_LEAD_MINUTES} minutes "
                   "before the reception opens).")
@click.option("--speed", envvar="KIOSK_SPEED", type=float, default=None,
              help=f"Event seconds per real second (default {DEMO_SPEED:g}: the day in about "
                   "half an hour).")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Which simulated day (the same seed plays the same day).")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool, still: bool, clock_at: str | None,
                 speed: float | None, seed: int) -> None:
    """Load fictional STRATEGIO registrations (once), then serve a simulated day.

    The clock starts a quarter of an hour before the reception opens and runs twenty
    times as fast, while a simulator plays a day through the real API in the background:
    arrivals, rooms filling at 10:00, the lunch, the tapas. Each start begins a fresh day
    (the previous rehearsal is wiped). The start page offers one button per role.

    \b
    Example:
        python -m kiosk --db instance/demo.db demo
        python -m kiosk --db instance/demo.db demo --clock 12:00 --speed 60
        python -m kiosk --db instance/demo.db demo --still
    """
    db, event = get_db(), get_event()
    if not attendee_store.all_attendees(db):
        plan = import_registrations(db, event, demo_csv(event), "demo.csv")
        click.echo(f"Demo geladen: {len(plan.added)} fictieve inschrijvingen", err=True)
    stations = ensure_demo_stations(db, current_app.config["SECRET_KEY"])
    current_app.config["DEMO_STATIONS"] = stations
    if not still:
        clock_at = clock_at or (opening(event) - dt.timedelta(minutes=DEMO_LEAD_MINUTES)) \
            .isoformat(timespec="minutes")
        speed = DEMO_SPEED if speed is None else speed
        wipe.rehearsals(db, simulator_stations=True)  # a fresh day every time
    try:
        set_clock(from_settings(clock_at, speed, event.date, event.tz))
    except ClockError as exc:
        raise click.BadParameter(str(exc), param_hint="--clock/--speed") from None
    if not still:  # what the start page says about the simulated day
        clock = get_clock()
        current_app.config["DEMO_LIVE"] = {
            "start": clock.now().strftime("%H:%M"), "speed": f"{clock.speed:g}",
            "minutes": round(DEMO_DAY_HOURS * 60 / clock.speed) if clock.speed else "–"}
    if no_serve:
        return
    if not still:
        log = _start_simulator(host, port, stations["organiser"]["token"], seed)
        click.echo(f"Gesimuleerde dag: {describe_clock(get_clock())}; de simulator schrijft "
                   f"naar {log}", err=True)
    click.echo(f"Open http://localhost:{port}/ en kies een rol.", err=True)
    _serve(host, port)


def _start_simulator(host: str, port: int, token: str, seed: int) -> str:
    """`simulate --loop` in a process of its own, stopped with the server."""
    target = host if host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    target = f"[{target}]" if ":" in target else target
    log_path = os.path.join(current_app.instance_path, "demo-simulator.log")
    os.makedirs(current_app.instance_path, exist_ok=True)
    log = open(log_path, "w")  # the child writes it for as long as it runs
    child = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--db", current_app.config["DATABASE"],
         *(["--event", current_app.config["EVENT"]] if current_app.config["EVENT"] else []),
         "simulate", "--url", f"http://{target}:{port}", "--loop", "--wait", "60",
         "--seed", str(seed), "--watch-parent"],
        env=dict(os.environ, KIOSK_TOKEN=token), stdout=log, stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL)
    atexit.register(_stop, child, os.getpid())
    return log_path


def _stop(child: subprocess.Popen, starter: int) -> None:
    """At exit of the process that started it (not of gunicorn's forked worker)."""
    if os.getpid() == starter and child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=5)
        except subprocess.TimeoutExpired:
            child.kill()
