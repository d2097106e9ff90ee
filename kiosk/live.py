"""Socket.IO: live headcounts pushed to the dashboards (filled in by the headcounts work).

`changed(app)` is what the face calls after a committed change."""

from __future__ import annotations

from flask import Flask


def changed(app: Flask) -> None:
    """A committed change altered who is where: dashboards need a fresh snapshot."""
    broadcaster = app.extensions.get("kiosk.live")
    if broadcaster is not None:
        broadcaster.changed()
