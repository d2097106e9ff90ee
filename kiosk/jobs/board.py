"""The job board: work too long for a request, done one job at a time off the request.

A page submits a job (a function of the job) and gets its id at once; the function runs in
a background thread the face starts (`start_thread`: gevent's pool of real threads on the
server, a plain thread elsewhere), reports progress on the job, and leaves its result
files in the job's folder. Pages poll the job's state. One job runs at a time, the rest
wait their turn: two badge runs at once would only halve each other's speed on two cores
and double the memory.

The board lives in memory, in the one server process: a restart forgets its jobs (and
clears their folder). Locks are never waited on with a timeout (Debian's faketime, under
which the evening tests run, hangs timed waits).
"""

from __future__ import annotations

import logging
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.clock import real_now

STATES = ("queued", "running", "done", "failed")
KEEP = 12  # finished jobs remembered (and their files kept); older ones are forgotten
log = logging.getLogger(__name__)


class JobError(Exception):
    """A job that cannot do what was asked: the message is for the organiser (Dutch)."""


@dataclass
class Job:
    id: str
    kind: str  # "badges", "checklist", "import", "report"
    title: str
    folder: Path
    state: str = "queued"
    done: int = 0
    total: int = 0
    note: str = ""  # what it is doing, or what it did, in words
    files: list[str] = field(default_factory=list)  # names in `folder`, to download
    result_url: str | None = None  # a page that shows the outcome
    error: str | None = None
    outcome: dict = field(default_factory=dict)  # what the kind of job hands back
    created_at: str = field(default_factory=lambda: real_now().isoformat())
    finished_at: str | None = None

    def progress(self, done: int, total: int, note: str | None = None) -> None:
        """Called by the work as it goes (any thread: plain assignments)."""
        self.done, self.total = done, total
        if note is not None:
            self.note = note

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "title": self.title, "state": self.state,
                "done": self.done, "total": self.total, "note": self.note,
                "files": list(self.files), "result_url": self.result_url,
                "error": self.error, "created_at": self.created_at,
                "finished_at": self.finished_at}


Work = Callable[[Job], None]


class JobBoard:
    """Jobs by id, a queue, and at most one worker thread draining it."""

    def __init__(self, folder: Path, start_thread: Callable[[Callable[[], None]], None],
                 keep: int = KEEP):
        self.folder, self.start_thread, self.keep = Path(folder), start_thread, keep
        self.jobs: dict[str, Job] = {}
        self.work: dict[str, Work] = {}
        self.queue: list[str] = []
        self.lock = threading.Lock()
        self.running = False
        # Folders of an earlier process: nobody can reach them any more.
        if self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)

    def submit(self, kind: str, title: str, work: Work, result_url: str | None = None) -> Job:
        """Queue a job; it starts as soon as the one before it is done."""
        job_id = secrets.token_urlsafe(9)
        job = Job(job_id, kind, title, self.folder / job_id, result_url=result_url)
        job.folder.mkdir(parents=True, exist_ok=True)
        with self.lock:
            self.jobs[job_id], self.work[job_id] = job, work
            self.queue.append(job_id)
            start = not self.running
            self.running = True
            self._forget_old()
        if start:
            self.start_thread(self._drain)
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def recent(self, *kinds: str) -> list[Job]:
        """The remembered jobs, newest first (of these kinds, when given)."""
        with self.lock:
            jobs = list(self.jobs.values())
        return [j for j in reversed(jobs) if not kinds or j.kind in kinds]

    def _drain(self) -> None:
        while True:
            with self.lock:
                if not self.queue:
                    self.running = False
                    return
                job_id = self.queue.pop(0)
                job, work = self.jobs[job_id], self.work.pop(job_id)
            self._run(job, work)

    def _run(self, job: Job, work: Work) -> None:
        job.state = "running"
        try:
            work(job)
        except JobError as exc:
            job.error, job.state = str(exc), "failed"
        except Exception as exc:  # the page must say it failed, not spin for ever
            log.exception("job %s (%s) failed", job.id, job.kind)
            job.error, job.state = f"Er ging iets mis: {exc}", "failed"
        else:
            job.state = "done"
        job.finished_at = real_now().isoformat()

    def _forget_old(self) -> None:
        """Keep the last `keep` finished jobs; forget older ones and delete their files."""
        finished = [j for j in self.jobs.values() if j.finished]
        for job in finished[:max(0, len(finished) - self.keep)]:
            del self.jobs[job.id]
            shutil.rmtree(job.folder, ignore_errors=True)
