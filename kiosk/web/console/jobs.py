"""The console's jobs: where they run, and the pages that follow them.

The board (kiosk.jobs.board) knows no threads of its own kind: on the gevent server a job
runs in gevent's pool of real threads (badge rendering is seconds of CPU: on the event
loop it would stop every scan), elsewhere (tests, the development server) in a plain
thread. A job's database writes (badges marked printed, an import) take the store's write
lock from that thread, as a scan does from the loop: gevent's locks work across threads.
What must happen on the event loop (telling the live screens) is handed back to it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from flask import Flask, abort, current_app, jsonify, render_template, send_from_directory

from kiosk.clock import EventClock
from kiosk.event import Event
from kiosk.jobs.board import Job, JobBoard
from kiosk.serving import green
from kiosk.store import connect
from kiosk.web import live
from kiosk.web.access import page_requires
from kiosk.web.console.common import blueprint, page_context
from kiosk.web.console.files import files_folder
from kiosk.web.context import get_clock, get_event

bp = blueprint("jobs", __name__)
INLINE = (".pdf", ".html")  # opened in a tab (print from there); the data files download


def board(app: Flask) -> JobBoard:
    """This app's job board (made on first use)."""
    found = app.extensions.get("kiosk.jobs")
    if found is None:
        found = app.extensions["kiosk.jobs"] = JobBoard(files_folder(app) / "jobs",
                                                        _start_thread)
    return found


def _start_thread(target: Callable[[], None]) -> None:
    if green.active():
        import gevent

        gevent.get_hub().threadpool.spawn(target)
    else:
        threading.Thread(target=target, name="kiosk-job", daemon=True).start()


def _on_loop() -> Callable[[Callable[[], None]], None]:
    """A way for a job's thread to run something on this (the server's) event loop."""
    if not green.active():
        return lambda function: function()
    import gevent

    loop = gevent.get_hub().loop
    return loop.run_callback_threadsafe


Kind = Callable[[object, Event, EventClock, Job], None]


def submit(kind: str, title: str, work: Kind, *, result_url: str | None = None,
           changes_screens: bool = False) -> Job:
    """Queue `work(db, event, clock, job)` on its own database connection; when
    `changes_screens`, the live screens are told once it is done."""
    app = current_app._get_current_object()
    event, clock, path = get_event(), get_clock(), app.config["DATABASE"]
    tell = _on_loop()

    def run(job: Job) -> None:
        db = connect(path, migrate=False)
        try:
            work(db, event, clock, job)
        finally:
            db.close()
            if changes_screens:
                tell(lambda: live.changed(app))

    return board(app).submit(kind, title, run, result_url=result_url)


def get_job(job_id: str) -> Job:
    job = board(current_app).get(job_id) if len(job_id) < 40 else None
    if job is None:
        abort(404, page_context()["w"]["job_unknown"])
    return job


@bp.get("/jobs/<job_id>")
@page_requires("manage")
def page(job_id: str):
    """One job, followed live by static/js/console.js (and onwards to its result)."""
    return render_template("console/job.html", job=get_job(job_id), **page_context())


@bp.get("/jobs/<job_id>.json")
@page_requires("manage")
def state(job_id: str):
    return jsonify(get_job(job_id).as_dict())


@bp.get("/jobs/<job_id>/files/<name>")
@page_requires("manage")
def download(job_id: str, name: str):
    job = get_job(job_id)
    if name not in job.files:
        abort(404)
    response = send_from_directory(Path(job.folder), name,
                                   as_attachment=not name.endswith(INLINE))
    response.headers["Cache-Control"] = "no-store"  # names inside: never in a shared cache
    return response


def board_jobs(*kinds: str) -> list[Job]:
    """The remembered jobs of these kinds, newest first (for a page's list)."""
    return board(current_app).recent(*kinds)
