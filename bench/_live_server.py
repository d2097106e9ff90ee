"""The benchmark server of bench/_server.py plus one bare Socket.IO emit.

`POST /bench/emit` emits a tiny `bare` event to every organiser screen on /live, with no
database and no snapshot: the floor a pushed headcount is compared with.

    python bench/_live_server.py DB PORT [--connections N]
"""

from __future__ import annotations

if __name__ == "__main__":  # the server process: on gevent, as `python -m kiosk serve` is
    from kiosk.serving import green
    green.patch()

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _server import build_app, main  # noqa: E402

EMIT_PATH = "/bench/emit"


def build_live_app(db_path: str):
    from flask import jsonify, request

    from kiosk import socketio
    from kiosk.web.live import NAMESPACE

    app = build_app(db_path)

    def emit():
        data = request.get_json(force=True, silent=True) or {}
        socketio.emit("bare", {"n": data.get("n")}, namespace=NAMESPACE, to="organiser")
        return jsonify({"result": "ok"})

    app.add_url_rule(EMIT_PATH, "bench_emit", emit, methods=["POST"])
    return app


if __name__ == "__main__":
    main(build_live_app)
