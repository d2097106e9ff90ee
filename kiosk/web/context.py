"""Per-request access to the database and the event for views and socket handlers."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlite_utils import Database

from kiosk.event import Event
from kiosk.store import connect


def get_db() -> Database:
    """The request's connection, opened on first use and closed at teardown."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"], migrate=False)
    return g.db


def get_event() -> Event:
    return current_app.extensions["kiosk.event"]


def _close_db(_exc: BaseException | None = None) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask) -> None:
    """Migrate the database once at start-up; close connections after each request."""
    connect(app.config["DATABASE"]).close()
    app.teardown_appcontext(_close_db)
