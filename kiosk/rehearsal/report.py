"""What the simulator did and what the server answered: counted as it goes, summed up at
the end."""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from kiosk.rehearsal.plan import Step


@dataclass
class Report:
    """What the simulator did and what the server answered."""

    steps: int = 0
    scans: int = 0
    answers: Counter = field(default_factory=Counter)  # result -> count
    undos: Counter = field(default_factory=Counter)
    searches: int = 0
    walk_ins: list[int] = field(default_factory=list)  # attendee ids
    retries: int = 0  # the same scan sent again (the offline desk, network trouble)
    queued: int = 0  # scans made while a desk was offline
    unexpected: list[str] = field(default_factory=list)  # answers the plan did not expect
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    acknowledged: dict[str, str] = field(default_factory=dict)  # scan_id -> result
    started: float = 0.0
    ended: float = 0.0
    interrupted: bool = False
    planned_arrivals: int = 0  # the plan's visitors (played so far) and walk-ins
    final: dict = field(default_factory=dict)  # the server's totals after the day
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, kind: str, step: Step, status: int, body: dict | None,
               latency_ms: float | None = None) -> None:
        with self.lock:
            self.steps += 1
            if latency_ms is not None:
                self.latencies_ms.append(latency_ms)
            if status >= 400 or body is None:
                message = (body or {}).get("message") or f"HTTP {status}"
                self.errors.append(f"{step.at:%H:%M:%S} {step.station} {kind}: {message}")
                return
            result = body.get("result")
            if kind == "scan":
                self.scans += 1
                self.answers[result] += 1
                if result in ("checked_in", "checked_out"):
                    self.acknowledged[body.get("scan_id") or step.scan_id] = result
            elif kind == "undo":
                self.undos[result] += 1
            elif kind == "search":
                self.searches += 1
            if step.expect and result != step.expect:
                self.unexpected.append(f"{step.at:%H:%M:%S} {step.station} {kind}: "
                                       f"{result} (verwacht {step.expect})")

    @property
    def seconds(self) -> float:
        return max(1e-9, (self.ended or time.monotonic()) - self.started)

    def summary(self) -> list[str]:
        """The summary, as printed at the end."""
        lat = sorted(self.latencies_ms)
        p = (lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]) if lat else (lambda q: 0.0)
        answers = ", ".join(f"{n} {r}" for r, n in sorted(self.answers.items()))
        undos = ", ".join(f"{n} {r}" for r, n in sorted(self.undos.items())) or "geen"
        return [
            f"stappen        {self.steps} in {self.seconds:.1f} s",
            f"scans          {self.scans} ({self.scans / self.seconds:.1f} per seconde): "
            f"{answers or 'geen'}",
            f"ongedaan       {undos}",
            f"ter plaatse    {len(self.walk_ins)} ingeschreven · {self.searches} keer op naam "
            f"gezocht",
            f"offline        {self.queued} scans bewaard en later verstuurd · "
            f"{self.retries} keer opnieuw verstuurd",
            f"antwoordtijd   p50 {statistics.median(lat) if lat else 0:.1f} ms · "
            f"p99 {p(0.99):.1f} ms · max {lat[-1] if lat else 0:.1f} ms",
            f"anders dan gepland {len(self.unexpected)} · fouten {len(self.errors)}",
        ] + ([f"op de server    {self.final.get('arrived')} aangekomen (gepland "
              f"{self.planned_arrivals}), {self.final.get('walk_ins')} ter plaatse "
              f"ingeschreven, {self.final.get('on_site')} nog op de site"]
             if self.final else []) + [f"  fout: {e}" for e in self.errors[:10]] + \
            [f"  anders: {u}" for u in self.unexpected[:10]]
