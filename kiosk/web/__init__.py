"""The web face: one blueprint per audience."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from kiosk.web import status

    app.register_blueprint(status.bp)
