"""The simulator's stations: one thread each, playing its steps when the server's clock
reaches them, as its tablet would (an offline desk keeps its scans and sends them later).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import defaultdict
from collections.abc import Callable

from kiosk.rehearsal.client import Api, ServerClock, SimulationError
from kiosk.rehearsal.plan import Plan, Step
from kiosk.rehearsal.report import Report

ATTEMPTS = 5  # a request that fails on the network is sent again, with the same scan_id
RESYNC_S = 2.0  # how often the server's clock is asked again
WAIT_FOR_CODE_S = 30
WAIT_FOR_TURN_S = 30  # for a person's earlier step at another station
TIMEOUT_S = 10


def play(url: str, plan: Plan, stations: dict[str, tuple[int, str]], clock: ServerClock,
          report: Report, progress: Callable[[str], None], stop: threading.Event) -> None:
    codes: dict[str, str] = {}  # a walk-in's reference -> their badge code, once registered
    codes_ready = threading.Condition()
    day_over = threading.Event()  # this day's players stop; `stop` ends the whole run
    order = GuestOrder(plan)
    players = [Player(key, Api(url, token), plan, clock, report, codes, codes_ready,
                       day_over, order)
               for key, (_id, token) in stations.items() if plan.steps_of(key)]
    threads = [threading.Thread(target=p.play, name=f"sim-{p.key}", daemon=True)
               for p in players]
    for thread in threads:
        thread.start()
    last_sync = last_note = time.monotonic()
    while any(t.is_alive() for t in threads):
        time.sleep(0.1)
        if stop.is_set():
            break
        if time.monotonic() - last_sync > RESYNC_S:
            try:
                clock.sync()
            except SimulationError as exc:
                with report.lock:
                    report.errors.append(f"klok: {exc}")
            last_sync = time.monotonic()
        if time.monotonic() - last_note > 2:
            waiting = sum(len(p.outbox) for p in players)
            progress(f"[{clock.now():%H:%M}] {report.steps}/{len(plan.steps)} stappen · "
                     f"{report.scans} scans · {len(report.errors)} fouten"
                     + (f" · {waiting} wachten (offline)" if waiting else ""))
            last_note = time.monotonic()
    day_over.set()
    with codes_ready:
        codes_ready.notify_all()
    for thread in threads:
        thread.join(timeout=TIMEOUT_S * ATTEMPTS)


class GuestOrder:
    """Each person's steps reach the server in the plan's order, also across stations.

    Stations play in threads of their own, on time; but one that falls behind (a slow
    answer, a busy machine, a fast clock: at x900 a minute is 67 ms) must not let a later
    step of the same person at another station overtake an earlier one: their real
    arrival before the undo of the mistaken check-in, a room entry before the arrival.
    A step only waits for steps planned before it, and a desk's outbox only when it is
    sent, so no two stations wait for each other; WAIT_FOR_TURN_S is the safety net.
    """

    def __init__(self, plan: Plan):
        self.turn: dict[int, tuple[int, int]] = {}  # id(step) -> (guest, their n-th step)
        seen: defaultdict[int, int] = defaultdict(int)
        for step in plan.steps:
            if step.guest_id is not None:
                self.turn[id(step)] = (step.guest_id, seen[step.guest_id])
                seen[step.guest_id] += 1
        self.played_of: defaultdict[int, int] = defaultdict(int)
        self.changed = threading.Condition()

    def wait_turn(self, step: Step, stop: threading.Event) -> bool:
        """Wait until this person's earlier steps were sent; False when told to stop."""
        guest, number = self.turn.get(id(step), (None, 0))
        deadline = time.monotonic() + WAIT_FOR_TURN_S
        with self.changed:
            while guest is not None and self.played_of[guest] < number:
                left = deadline - time.monotonic()
                if stop.is_set() or left <= 0:
                    return not stop.is_set()
                self.changed.wait(min(left, 0.5))
        return True

    def played(self, step: Step) -> None:
        """The step was sent: the next one of this person may go."""
        if id(step) in self.turn:
            with self.changed:
                self.played_of[self.turn[id(step)][0]] += 1
                self.changed.notify_all()


class Player:
    """One station playing its steps in order, as its tablet would."""

    def __init__(self, key: str, api: Api, plan: Plan, clock: ServerClock, report: Report,
                 codes: dict[str, str], codes_ready: threading.Condition,
                 stop: threading.Event, order: GuestOrder):
        self.key, self.api, self.clock, self.report, self.order = key, api, clock, report, order
        self.steps = plan.steps_of(key)
        self.outage = plan.outages.get(key)
        self.codes, self.codes_ready, self.stop = codes, codes_ready, stop
        self.outbox: list[tuple[Step, str]] = []

    def play(self) -> None:
        for step in self.steps:
            if self.outbox and self.outage and step.at >= self.outage[1]:
                self.wait_until(self.outage[1])
                self.flush()
            if not self.wait_until(step.at):
                return
            if self.offline(step):  # kept; it waits for its turn when it is sent
                self.outbox.append((step, step.at.isoformat(timespec="seconds")))
                with self.report.lock:
                    self.report.queued += 1
            elif self.order.wait_turn(step, self.stop):
                self.do(step)
                self.order.played(step)
            else:
                return
        if self.outbox and self.outage and self.wait_until(self.outage[1]):
            self.flush()

    def offline(self, step: Step) -> bool:
        return bool(self.outage and self.outage[0] <= step.at < self.outage[1]
                    and step.action in ("scan", "undo"))

    def wait_until(self, moment: dt.datetime) -> bool:
        """Sleep until the server's clock reaches `moment`; False when told to stop."""
        while not self.stop.is_set():
            left = self.clock.seconds_until(moment)
            if left <= 0:
                return True
            self.stop.wait(min(left, 0.25))
        return False

    def flush(self) -> None:
        """Back online: what waited goes out oldest first; the first check-in twice, as
        when the answer to it was lost on the way back."""
        retried = False
        for step, client_time in self.outbox:
            if not self.order.wait_turn(step, self.stop):
                break
            self.do(step, client_time)
            self.order.played(step)
            if not retried and step.action == "scan" and step.expect == "checked_in":
                retried = True
                with self.report.lock:
                    self.report.retries += 1
                self.send(step, client_time, again=True)
        self.outbox.clear()

    def do(self, step: Step, client_time: str | None = None) -> None:
        if step.action == "scan":
            self.send(step, client_time)
        elif step.action == "undo":
            status, body, _ = self.retrying("POST", f"/api/scans/{step.undoes}/undo", {})
            self.report.record("undo", step, status, body)
        elif step.action == "search":
            status, body, _ = self.retrying("GET", "/api/attendees", None, q=step.query)
            self.report.record("search", step, status, body)
        elif step.action == "walk_in":
            self.walk_in(step)

    def send(self, step: Step, client_time: str | None = None, again: bool = False) -> None:
        """Post one scan. `again`: the same scan a second time, which must be answered as
        the first one was and count for nothing."""
        code = step.code or self.code_of(step.code_of)
        if code is None:
            self.report.record("scan", step, 0, {"message": "code van de ter plaatse "
                                                            "ingeschreven deelnemer ontbreekt"})
            return
        payload = {"code": code, "location": step.location, "scan_id": step.scan_id}
        if client_time:
            payload["client_time"] = client_time
        status, body, ms = self.retrying("POST", "/api/scans", payload)
        if not again:
            self.report.record("scan", step, status, body, ms)
        elif status >= 400 or not body or not body.get("replayed"):
            with self.report.lock:
                self.report.unexpected.append(f"{step.at:%H:%M:%S} {self.key}: tweede keer "
                                              f"dezelfde scan niet als herhaling beantwoord")

    def walk_in(self, step: Step) -> None:
        status, body, _ = self.retrying("POST", "/api/walk-ins", step.walk_in)
        self.report.record("walk_in", step, status, body)
        if status == 201 and body:
            with self.report.lock:
                self.report.walk_ins.append(body["attendee"]["id"])
                self.report.acknowledged[body["scan_id"]] = body["result"]
            with self.codes_ready:
                self.codes[step.scan_id] = body["attendee"]["code"]
                self.codes_ready.notify_all()

    def code_of(self, ref: str | None) -> str | None:
        deadline = time.monotonic() + WAIT_FOR_CODE_S
        with self.codes_ready:
            while ref not in self.codes and not self.stop.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.codes_ready.wait(min(left, 0.5))
            return self.codes.get(ref)

    def retrying(self, method: str, path: str, body: dict | None,
                 **params) -> tuple[int, dict | None, float]:
        """Network trouble: the same request again (the scan_id makes it safe)."""
        for attempt in range(ATTEMPTS):
            status, answer, ms = self.api.call(method, path, body, **params)
            if status not in (0, 502, 503, 504):
                return status, answer, ms
            if attempt < ATTEMPTS - 1:
                with self.report.lock:
                    self.report.retries += 1
                if self.stop.wait(0.5 * (attempt + 1)):
                    break
        return status, answer, ms
