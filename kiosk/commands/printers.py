"""`printer add|list|test` and `print-spooler`: the printers and the spooler that feeds them."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from kiosk.printing import printers
from kiosk.printing.face import BadgeFace
from kiosk.registrations import codes
from kiosk.spooler import queue
from kiosk.spooler.queue import QueueError
from kiosk.spooler.worker import Spooler, SpoolerBusy
from kiosk.web.context import get_db, get_event

printer_group = AppGroup("printer", help="Printers for badges: add, list, test.")


@printer_group.command("add")
@click.option("--name", required=True, help="What staff call it, e.g. 'Labels onthaal'.")
@click.option("--kind", type=click.Choice(printers.KINDS), required=True)
@click.option("--set", "pairs", multiple=True, metavar="KEY=VALUE",
              help="A setting: queue, server, layout, media (cups); address, model, label "
                   "(brother_ql); address, dpi, layout (zpl).")
def add_printer(name: str, kind: str, pairs: tuple[str, ...]) -> None:
    """Add a printer the server may send badges to.

    \b
    Example:
        python -m kiosk printer add --name "A6 onthaal" --kind cups --set queue=Onthaal-A6
        python -m kiosk printer add --name "Labels" --kind brother_ql \\
            --set address=tcp://192.168.1.40 --set model=QL-820NWB --set label=62x29
    """
    settings = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r}: schrijf KEY=VALUE", param_hint="--set")
        settings[key.strip()] = int(value) if value.isdigit() and key in ("dpi", "timeout") \
            else value
    try:
        added = queue.add_printer(get_db(), name, kind, settings)
    except QueueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Printer {added.id} '{added.name}' ({added.kind}): "
               f"{json.dumps(added.settings, ensure_ascii=False, sort_keys=True)}")


@printer_group.command("list")
def list_printers() -> None:
    """The printers with their queue: waiting, printed, failed."""
    for item in queue.overview(get_db(), limit=0):
        counts = ", ".join(f"{n} {state}" for state, n in sorted(item.counts.items())) or "leeg"
        state = "GESTOPT (mislukte afdruk)" if item.halted else "klaar"
        click.echo(f"{item.printer.id:>3}  {item.printer.kind:<10} {item.printer.name}: {state};"
                   f" {counts}")


@printer_group.command("test")
@click.argument("name")
def test_printer(name: str) -> None:
    """Print a test badge ('Test Badge', a fresh code that is nobody's) and wait for the
    printer's confirmation.

    \b
    Example:
        python -m kiosk printer test "Labels"
    """
    from kiosk.store import printing as printing_store

    found = printing_store.printer_named(get_db(), name)
    if found is None or found.removed_at:
        raise click.ClickException(f"geen printer {name!r} (zie `printer list`)")
    face = BadgeFace("Test", "Badge", "kiosk", "proefafdruk", {}, codes.new_code())
    started = time.monotonic()
    try:
        sent = printers.print_badge(found.kind, found.settings, face, get_event(), "kiosk test")
    except printers.PrintFailed as exc:
        raise click.ClickException(f"niet afgedrukt: {exc}") from None
    click.echo(f"Afgedrukt op {found.name} in {time.monotonic() - started:.1f} s"
               f"{': ' + sent.detail if sent.detail else ''}"
               f"{' (' + sent.printer_job + ')' if sent.printer_job else ''}")


@click.command("print-spooler")
@click.option("--watch-parent", is_flag=True, hidden=True,
              help="Stop when the process that started this one is gone (the server).")
@with_appcontext
def spooler_command(watch_parent: bool) -> None:
    """Send the queued badges to their printers, one at a time per printer, until stopped.
    `serve` starts it by itself with the first print; run it by hand next to a server
    started elsewhere.

    \b
    Example:
        python -m kiosk --db strategio.db print-spooler
    """
    logging.basicConfig(level=logging.WARNING, format="spooler: %(message)s")
    logging.getLogger("kiosk.spooler").setLevel(logging.INFO)  # its own lines, not fpdf2's
    spooler = Spooler(current_app.config["DATABASE"], get_event())
    signal.signal(signal.SIGTERM, lambda *_: spooler.stop())
    if watch_parent:
        parent = os.getppid()

        def watch() -> None:
            while not spooler.stopping.is_set():
                if os.getppid() != parent:
                    spooler.stop()
                time.sleep(1)
        threading.Thread(target=watch, name="watch-parent", daemon=True).start()
    try:
        spooler.run()
    except SpoolerBusy as exc:
        click.echo(str(exc), err=True)
    except KeyboardInterrupt:
        spooler.stop()
