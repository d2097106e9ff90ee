"""Where the console keeps files: next to the database, in `<name>-files/`.

`jobs/` holds what the jobs made (badge PDFs, the paper list, reports: with names in them)
and `uploads/` the registration lists waiting for their confirmation. `purge` deletes the
whole folder. KIOSK_FILES (or the FILES setting) puts it elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask


def files_folder(app: Flask) -> Path:
    configured = app.config.get("FILES") or os.environ.get("KIOSK_FILES")
    if configured:
        return Path(configured)
    database = Path(app.config["DATABASE"])
    return database.with_name(f"{database.stem}-files")
