"""kiosk: day-of check-in, badges and live headcounts for STRATEGIO.

`create_app` and `socketio` live in `kiosk.web.app`; they are loaded on first use, so that
importing the package (as `python -m kiosk` does first) imports nothing else yet: the
server has to monkey-patch for gevent before Flask and Socket.IO are loaded (kiosk.serving.green).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app", "socketio"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kiosk.web import app
        return getattr(app, name)
    raise AttributeError(f"module 'kiosk' has no attribute {name!r}")
