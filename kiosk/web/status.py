"""The registration overview: the event and its registrations per bestuur and theme."""

from __future__ import annotations

from flask import Blueprint, render_template

from kiosk.registrations.summary import summarise
from kiosk.serving import green
from kiosk.web.access import page_requires
from kiosk.web.context import get_db, get_event

bp = Blueprint("status", __name__)


@bp.get("/overzicht")
@page_requires("view_all")
def index() -> str:
    event = get_event()
    summary = green.offload(summarise, get_db(), event)  # off the event loop (kiosk.serving.green)
    return render_template("status.html", event=event, summary=summary)
