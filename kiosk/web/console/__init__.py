"""The organiser's console: everything the organiser did with `python -m kiosk …`, in the
browser, behind one navigation bar (dashboard, stations, registrations, badges, report).

`people` (the attendees: list, one person, edits, check in or out by hand), `imports`
(upload, preview, confirm, the import log), `badges` (badge runs and the paper list),
`report` (the post-event report), `jobs` (where long work runs and the pages that follow
it), `common` (access, CSRF, limits, words, the bar), `csrf`, `words`, `files`. The
stations page is kiosk.web.stations, linked, not copied. Every page needs a paired
organiser station.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Register the console's blueprints and the navigation bar's template global."""
    from kiosk.web.console import badges, common, imports, jobs, people, report

    for module in (people, imports, badges, report, jobs):
        app.register_blueprint(module.bp)
    common.init_app(app)
