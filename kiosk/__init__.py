"""kiosk: day-of check-in, badges and live headcounts for STRATEGIO."""

from __future__ import annotations

import os

from flask import Flask
from flask_socketio import SocketIO

# Unbound here, bound to the app in create_app (Flask-SocketIO's factory pattern).
# Threading mode, chosen explicitly: see ../shared/NOTES.md.
socketio = SocketIO()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the web app: config, event file, database, blueprints, Socket.IO."""
    from kiosk import cli, config, live
    from kiosk.event import load_event
    from kiosk.web import context, register_blueprints

    app = Flask(__name__, instance_relative_config=True,
                instance_path=os.environ.get("KIOSK_INSTANCE") or None,
                template_folder="../templates", static_folder="../static")
    config.load(app, test_config)
    app.extensions["kiosk.event"] = load_event(app.config["EVENT"])
    context.init_app(app)
    register_blueprints(app)
    cli.register(app)
    socketio.init_app(app, async_mode="threading")  # same-origin only (the default)
    live.init_app(app, socketio)
    return app
