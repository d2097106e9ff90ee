"""Settings: defaults, then the environment, then the test dict. Secrets never live in code."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask


def load(app: Flask, test_config: dict | None) -> None:
    """Fill app.config: DATABASE, EVENT, the clock, SECRET_KEY and the limits of the API.

    CLOCK (KIOSK_CLOCK) is a rehearsal clock's start, `09:40` or `2023-05-23T09:40`, and
    CLOCK_SPEED (KIOSK_SPEED) its speed; without CLOCK the service runs on the real clock
    (kiosk.clock)."""
    instance = Path(app.instance_path)
    app.config.from_mapping(
        DATABASE=os.environ.get("KIOSK_DB") or str(instance / "kiosk.db"),
        EVENT=os.environ.get("KIOSK_EVENT") or None,
        CLOCK=os.environ.get("KIOSK_CLOCK") or None,
        CLOCK_SPEED=os.environ.get("KIOSK_SPEED") or None,
        PUBLIC_URL=os.environ.get("KIOSK_PUBLIC_URL") or None,  # kiosk.web.publicurl
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,  # imports; the JSON API has its own smaller cap
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("KIOSK_SECRET_KEY") or _instance_secret(instance)


def _instance_secret(instance: Path) -> str:
    """A secret generated on first run and kept in the instance folder (mode 600), so
    paired tablets stay signed in across restarts."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
