"""The app factory and the unbound Socket.IO object (imported lazily by `kiosk`)."""

from __future__ import annotations

import os

from flask import Flask
from flask_socketio import SocketIO

# Unbound here, bound to the app in create_app (Flask-SocketIO's factory pattern).
socketio = SocketIO()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the web app: config, event file, database, blueprints, Socket.IO."""
    from kiosk.clock import from_settings
    from kiosk.commands import cli
    from kiosk.event import load_event
    from kiosk.serving import green
    from kiosk.web import config, context, live, register_blueprints, workers

    app = Flask("kiosk", instance_relative_config=True,  # the package: its root, its instance
                instance_path=os.environ.get("KIOSK_INSTANCE") or None,
                template_folder="../templates", static_folder="../static")
    config.load(app, test_config)
    event = app.extensions["kiosk.event"] = load_event(app.config["EVENT"])
    app.extensions["kiosk.clock"] = from_settings(app.config["CLOCK"], app.config["CLOCK_SPEED"],
                                                  event.date, event.tz)
    context.init_app(app)
    register_blueprints(app)
    cli.register(app)
    # Same-origin only (the default). Pings every 10 s: a screen whose Wi-Fi died quietly
    # shows "verbinding verbroken" within ~15 s instead of the default ~45 s. The mode is
    # chosen explicitly (auto-detection would try eventlet): gevent in the server process,
    # threading everywhere else (kiosk.serving.green, ../shared/NOTES.md).
    socketio.init_app(app, async_mode="gevent" if green.active() else "threading",
                      ping_interval=10, ping_timeout=5, **workers.socketio_options(app))
    live.init_app(app, socketio)
    workers.start_listening(socketio.server)
    return app
