"""A module with an import of each kind, for tests/test_layers.py (never imported)."""

from typing import TYPE_CHECKING

import flask

from kiosk.store import movements
from kiosk.web import live

if TYPE_CHECKING:
    from kiosk.web import app


def late():
    import socketio

    return socketio, app, flask, live, movements
