"""Any CUPS or IPP printer: the badge as a PDF, sent with `lp`, followed until it printed.

The printer is a CUPS queue (`queue`), on this machine or on a CUPS server elsewhere
(`server`: a host, host:port, or the path of CUPS' socket). The layout says what the PDF
holds: `a6` (one badge a page), `cr80` (a card printer), `a4` (a sheet of ten cards with
crop marks), `label62x100` or `label62x29` (a label queue). CUPS is a spooler itself: it
accepts a job at once and prints it later, so "sent" is not "printed". The job is followed
with `ipptool` (Get-Job-Attributes) until CUPS calls it completed; aborted or cancelled
is a failure with CUPS' words, and a job still waiting after `timeout` seconds (the
printer stopped, out of paper, unplugged) is cancelled in CUPS and reported with what the
printer says, so that a retry never prints the badge twice.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from kiosk.event import Event
from kiosk.printing.face import BadgeFace
from kiosk.printing.printers.base import (
    PrinterSettingsError,
    PrintFailed,
    Sent,
    choice,
    number,
    only,
    text,
)
from kiosk.printing.sheets import badge_pdf
from kiosk.printing.template import load_template

LAYOUTS = ("a6", "cr80", "a4", "label62x100", "label62x29")
KNOWN = ("queue", "server", "layout", "media", "timeout")
STATE_TEST = Path(__file__).with_name("job-state.test")
POLL_S = 0.5
DONE, FAILED = {"completed"}, {"aborted", "canceled"}


def validate(settings: dict[str, Any]) -> dict[str, Any]:
    only(settings, KNOWN)
    queue = text(settings, "queue", r"[A-Za-z0-9_.@\-]{1,127}", "Onthaal-A6")
    if queue is None:
        raise PrinterSettingsError("queue: de naam van de CUPS-printer ontbreekt (lpstat -p)")
    return {"queue": queue,
            "server": text(settings, "server", r"(/[\w./\-]+|[A-Za-z0-9.\-]+(:\d{1,5})?)",
                           "printserver.local:631"),
            "layout": choice(settings, "layout", LAYOUTS, "a6"),
            "media": text(settings, "media", r"[A-Za-z0-9_.\-]{1,64}", "A6"),
            "timeout": number(settings, "timeout", 1, 3600, 120)}


def media_of(settings: dict[str, Any]) -> str:
    """The paper to ask for: the setting, else the layout's page as a custom size."""
    if settings.get("media"):
        return settings["media"]
    layout = load_template().layouts[settings["layout"]]
    size = load_template().sizes[layout.badge]
    width, height = layout.page or (size.width, size.height)
    return f"Custom.{width:g}x{height:g}mm"


def render(settings: dict[str, Any], face: BadgeFace, event: Event) -> bytes:
    return badge_pdf(face, event, settings["layout"])


def _server_args(settings: dict[str, Any]) -> list[str]:
    return ["-h", settings["server"]] if settings.get("server") else []


def _run(args: list[str], data: bytes | None = None, timeout: float = 30) -> str:
    try:
        done = subprocess.run(args, input=data, capture_output=True, timeout=timeout)
    except FileNotFoundError:
        raise PrintFailed(f"{args[0]} ontbreekt: installeer CUPS (apt-get install cups-client "
                          "cups-ipp-utils)") from None
    except subprocess.TimeoutExpired:
        raise PrintFailed(f"CUPS antwoordt niet ({args[0]}, {timeout:g} s)") from None
    if done.returncode != 0:
        words = done.stderr.decode("utf-8", "replace").strip() or f"{args[0]} mislukte"
        raise PrintFailed(words)
    return done.stdout.decode("utf-8", "replace")


def send(settings: dict[str, Any], data: bytes, title: str) -> Sent:
    title = re.sub(r"[^\w .\-]", "", title)[:60] or "badge"
    answer = _run(["lp", *_server_args(settings), "-d", settings["queue"], "-t", title,
                   "-o", f"media={media_of(settings)}", "-"], data)
    found = re.search(r"request id is (\S+)-(\d+)", answer)
    if not found:
        raise PrintFailed(f"CUPS gaf geen opdrachtnummer: {answer.strip()!r}")
    job = f"{found.group(1)}-{found.group(2)}"
    return _follow(settings, job, int(found.group(2)))


def _follow(settings: dict[str, Any], job: str, job_id: int) -> Sent:
    """Wait until CUPS says the job is completed; a failure or a timeout says why."""
    deadline = time.monotonic() + settings["timeout"]
    while True:
        state = job_state(settings, job_id)
        if state.get("job-state") in DONE:
            return Sent(job, "afgedrukt volgens CUPS")
        if state.get("job-state") in FAILED:
            raise PrintFailed(_words(state, f"CUPS brak de opdracht {job} af"))
        if time.monotonic() > deadline:
            _cancel(settings, job)
            raise PrintFailed(_words(state, f"niet afgedrukt binnen {settings['timeout']:g} s")
                              + f" (opdracht {job} geannuleerd)")
        time.sleep(POLL_S)


def _words(state: dict[str, str], fallback: str) -> str:
    """What the printer says, in order of use: its message, the job's, the reasons."""
    parts = [state.get("printer-state-message"), state.get("job-printer-state-message")]
    said = "; ".join(dict.fromkeys(p for p in parts if p))
    if state.get("printer-state") == "stopped":
        said = f"printer gestopt{': ' + said if said else ''}"
    reasons = state.get("printer-state-reasons", "none")
    if not said and reasons not in ("none", ""):
        said = reasons
    return f"{fallback}: {said}" if said else fallback


def ipp_uri(settings: dict[str, Any]) -> str:
    """ipp://host:631/printers/QUEUE, or with CUPS' socket as the host (%2F-encoded)."""
    server = settings.get("server") or os.environ.get("CUPS_SERVER") or "localhost"
    if server.startswith("/"):
        host = quote(server, safe="")
    else:
        host = server if ":" in server else f"{server}:631"
    return f"ipp://{host}/printers/{settings['queue']}"


def job_state(settings: dict[str, Any], job_id: int) -> dict[str, str]:
    """{'job-state': 'completed', 'printer-state-message': '…', …} from ipptool."""
    answer = _run(["ipptool", "-T", "10", "-t", "-d", f"job_id={job_id}", ipp_uri(settings),
                   str(STATE_TEST)], timeout=20)
    found = {}
    for line in answer.splitlines():
        match = re.match(r"^\s+([a-z\-]+) \([^)]*\) = (.*)$", line)
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def _cancel(settings: dict[str, Any], job: str) -> None:
    try:
        _run(["cancel", *_server_args(settings), job])
    except PrintFailed:
        pass  # already finished or gone: what we report stays true
