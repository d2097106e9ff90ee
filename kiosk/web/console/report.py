"""The report from the browser: today's key figures, and the report made as a job
(report.html, report.pdf, attendance.csv/.xlsx, movements.csv) to download."""

from __future__ import annotations

from flask import redirect, render_template, url_for

from kiosk.jobs.reporting import make_report
from kiosk.report import figures
from kiosk.serving import green
from kiosk.web.access import page_requires
from kiosk.web.console import jobs
from kiosk.web.console.common import blueprint, page_context
from kiosk.web.context import get_clock, get_db, get_event

bp = blueprint("report", __name__)


@bp.get("/report")
@page_requires("manage")
def index():
    event = get_event()
    numbers = green.offload(figures.load, get_db(), event, get_clock())
    return render_template("console/report.html", figures=numbers,
                           jobs=jobs.board_jobs("report"), **page_context())


@bp.post("/report")
@page_requires("manage")
def make():
    job = jobs.submit("report", "rapport", make_report)
    return redirect(url_for("report.index", job=job.id))
