"""Importing the registration list from the browser: upload, preview, confirm; the log.

The same import service as `python -m kiosk import`: the preview is its dry run (nothing
written), the confirmation the real import, in one transaction, as a job (progress on the
page, the server keeps answering scans meanwhile). Between the two the file waits in the
console's uploads folder (an hour at most), so the import is exactly the file previewed.
A mapping for a column the importer does not recognise is the command line's `--map`.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, url_for

from kiosk.clock import real_now
from kiosk.event import Event
from kiosk.jobs.importing import import_list
from kiosk.registrations.importer import ImportPlan, import_registrations
from kiosk.registrations.reading import (
    FIELDS,
    ImportFileError,
    map_headers,
    read_table,
    recognise,
)
from kiosk.serving import green
from kiosk.store import importlog
from kiosk.web.access import page_requires
from kiosk.web.console import jobs
from kiosk.web.console.common import PREFIX, UPLOAD_BYTES, blueprint, page_context
from kiosk.web.console.files import files_folder
from kiosk.web.context import get_db, get_event

bp = blueprint("imports", __name__, upload=True)
KEEP_SECONDS = 3600
FIRST_ROWS = 12
MAX_LISTED = 20  # names listed of those an import would cancel
FIELD_NAMES = {"email": "e-mailadres", "first_name": "voornaam", "last_name": "familienaam",
               "organisation": "bestuur of organisatie", "function": "functie",
               "diet": "dieetwensen", "comments": "opmerkingen"}


def _uploads() -> Path:
    return files_folder(current_app) / "uploads"


def _store_upload(data: bytes, filename: str) -> str:
    """Keep the file until it is imported (or an hour has passed); its token."""
    folder = _uploads()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.json"):  # a real hour (a rehearsal does not age files)
        if real_now().timestamp() - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
            old.with_suffix(".bin").unlink(missing_ok=True)
    token = secrets.token_urlsafe(12)
    (folder / f"{token}.bin").write_bytes(data)
    (folder / f"{token}.json").write_text(json.dumps({"filename": filename}))
    return token


def _load_upload(token: str) -> tuple[bytes, str]:
    folder = _uploads()
    if not token.replace("-", "").replace("_", "").isalnum() or len(token) > 40:
        abort(404)
    meta, data = folder / f"{token}.json", folder / f"{token}.bin"
    if not meta.exists() or not data.exists():
        abort(404, page_context()["w"]["upload_gone"])
    return data.read_bytes(), json.loads(meta.read_text())["filename"]


def _drop_upload(folder: Path, token: str) -> None:
    for suffix in (".bin", ".json"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)


@bp.get("/import")
@page_requires("manage")
def upload_page(error: str | None = None, status: int = 200):
    return render_template("console/import.html", error=error,
                           limit_mb=UPLOAD_BYTES // (1024 * 1024), **page_context()), status


@bp.post("/import")
@page_requires("manage")
def upload():
    """The file arrives: keep it and show what importing it would do."""
    w = page_context()["w"]
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        return upload_page(w["no_file"], 400)
    data = sent.read()
    if not data.strip():
        return upload_page(w["empty_file"], 400)
    filename = Path(sent.filename).name[:120]
    token = _store_upload(data, filename)
    return redirect(url_for("imports.preview", token=token,
                            partial="1" if request.form.get("partial") else None))


def _mapping(args) -> dict[str, str]:
    """`map=Header=field` pairs, as the command line's --map."""
    mapping = {}
    for value in args.getlist("map"):
        header, sep, field = value.rpartition("=")
        if sep and header.strip() and field.strip():
            mapping[header.strip()] = field.strip()
    return mapping


def fields_for(event: Event) -> list[tuple[str, str]]:
    """Every field a column can be mapped to, with its name in words."""
    result = [(f, FIELD_NAMES.get(f, f)) for f in FIELDS]
    result += [(f"session:{b.id}", f"werksessie {b.name.lower()}") for b in event.blocks]
    result += [(f"meal:{c.id}", c.name.lower()) for c in event.catering]
    return result


def columns(data: bytes, filename: str, event: Event, mapping: dict[str, str]) -> list[dict]:
    """The file's columns with the field each is read as (the importer's own mapping)."""
    headers = read_table(data, filename).headers
    try:
        mapped = map_headers(headers, event, mapping)
    except ImportFileError:  # no e-mail column yet: show what is recognised, to map it
        mapped = {}
        for index, header in enumerate(headers):
            name = mapping.get(header) or recognise(header, event)
            if name and name not in mapped.values():
                mapped[index] = name
    return [{"index": i, "header": h, "field": mapped.get(i), "mapped": h in mapping}
            for i, h in enumerate(headers)]


def _dry_run(data: bytes, filename: str, event: Event, partial: bool,
             mapping: dict[str, str]) -> tuple[ImportPlan | None, str | None, list[dict]]:
    """(the plan, or None and the importer's error; the columns)."""
    db = get_db()
    try:
        found = columns(data, filename, event, mapping)
    except ImportFileError as exc:
        return None, str(exc), []
    try:
        plan = green.offload(import_registrations, db, event, data, filename, dry_run=True,
                             partial=partial, mapping=mapping or None)
    except ImportFileError as exc:
        return None, str(exc), found
    return plan, None, found


def first_rows(plan: ImportPlan) -> list[tuple[str, object]]:
    """The first rows of the file as they will be stored, with what happens to each."""
    rows = [("added", a) for a in plan.added] + [("updated", a) for a in plan.updated] + \
        [("restored", a) for a in plan.restored] + [("unchanged", a) for a in plan.unchanged]
    return sorted(rows, key=lambda r: r[1].source_row or 0)[:FIRST_ROWS]


@bp.get("/import/<token>")
@page_requires("manage")
def preview(token: str):
    data, filename = _load_upload(token)
    event, partial, mapping = get_event(), request.args.get("partial") == "1", \
        _mapping(request.args)
    plan, error, found = _dry_run(data, filename, event, partial, mapping)
    return render_template(
        "console/preview.html", token=token, filename=filename, plan=plan,
        error=error, columns=found, fields=fields_for(event), mapping=mapping,
        partial=partial, rows=first_rows(plan) if plan else [], max_listed=MAX_LISTED,
        **page_context()), 400 if error else 200


@bp.post("/import/<token>/confirm")
@page_requires("manage")
def confirm(token: str):
    """Import the previewed file, as a job; its page follows it to the import's log."""
    data, filename = _load_upload(token)
    partial, mapping = request.form.get("partial") == "1", _mapping(request.form)
    allow_mass_cancel = request.form.get("allow_mass_cancel") == "1"  # the preview's box
    event, folder = get_event(), _uploads()

    def work(db, _event, _clock, job) -> None:
        import_list(db, event, data, filename, partial=partial, mapping=mapping, job=job,
                    allow_mass_cancel=allow_mass_cancel)
        job.result_url = url_for_import(job.outcome.get("import_id"))
        _drop_upload(folder, token)  # imported: the file's names need not wait any longer

    job = jobs.submit("import", filename, work, changes_screens=True)
    return redirect(url_for("jobs.page", job_id=job.id))


def url_for_import(import_id: int | None) -> str | None:
    """The log page of an import (built without a request: jobs run in their own thread)."""
    return f"{PREFIX}/imports/{import_id}?done=1" if import_id else None


@bp.get("/imports")
@page_requires("manage")
def log():
    return render_template("console/imports.html",
                           imports=importlog.all_imports(get_db()), **page_context())


@bp.get("/imports/<int:import_id>")
@page_requires("manage")
def one(import_id: int):
    found = importlog.get_import(get_db(), import_id)
    if found is None:
        abort(404)
    return render_template("console/import_log.html", found=found,
                           done=request.args.get("done") == "1", **page_context())
