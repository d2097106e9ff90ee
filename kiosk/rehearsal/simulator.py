"""The dress-rehearsal simulator: a planned day (kiosk.rehearsal.plan) played through the real API.

It signs in with an organiser token, pairs stations of its own (named "simulator · …":
reception desks, a host at every room's door, the buffet, the tapas, the exit), and plays
each station's steps in a thread of its own when the server's event clock reaches them:
scans, undos, name searches, walk-ins. The desk that loses the network keeps its scans and
sends them when it is back, oldest first, one of them twice (a lost answer), exactly as a
tablet's outbox does. Its stations are revoked when it is done, also after Ctrl-C.

It refuses a server on the real clock: a simulated day there would check real people in.
Steps whose time has already passed on the server's clock are played at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import statistics
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import requests

from kiosk.event import Event
from kiosk.rehearsal.plan import Guest, Plan, Shape, Step, plan_day, stations_for

TIMEOUT_S = 10
ATTEMPTS = 5  # a request that fails on the network is sent again, with the same scan_id
RESYNC_S = 2.0  # how often the server's clock is asked again
WAIT_FOR_CODE_S = 30
CATCH_UP_NOTICE = dt.timedelta(minutes=1)  # a server ahead of the plan by more: say so
WAIT_FOR_TURN_S = 30  # for a person's earlier step at another station


class SimulationError(Exception):
    """The simulation cannot start or go on; the message says why, in words."""


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


class Api:
    """One station's connection to the server: its token, its own HTTP session."""

    def __init__(self, base: str, token: str):
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, body: dict | None = None,
             **params) -> tuple[int, dict | None, float]:
        """(status, JSON body or None, milliseconds); status 0 when the network failed."""
        started = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, json=body,
                                            params=params or None, timeout=TIMEOUT_S)
        except requests.RequestException:
            return 0, None, (time.perf_counter() - started) * 1000
        elapsed = (time.perf_counter() - started) * 1000
        try:
            return response.status_code, response.json(), elapsed
        except ValueError:
            return response.status_code, None, elapsed

    def must(self, method: str, path: str, body: dict | None = None) -> dict:
        """A call that has to work for the simulation to go on."""
        status, answer, _ = self.call(method, path, body)
        if status == 0:
            raise SimulationError(f"de server op {self.base} antwoordt niet")
        if status == 401:
            raise SimulationError("de server kent deze sleutel niet: geef de sleutel van een "
                                  "organisator-post (--token of KIOSK_TOKEN)")
        if status == 403:
            raise SimulationError("deze sleutel is niet van een organisator-post")
        if status >= 400 or answer is None:
            message = (answer or {}).get("message") or f"HTTP {status}"
            raise SimulationError(f"{method} {path}: {message}")
        return answer


class ServerClock:
    """The server's event clock as seen from here: asked now and then, extrapolated in
    between at the server's speed."""

    def __init__(self, api: Api):
        self.api = api
        self.lock = threading.Lock()
        self.found_speed = 1.0  # the speed before the simulator set its own (prepare)
        self.sync()

    def sync(self) -> dict:
        state = self.api.must("GET", "/api/clock")
        with self.lock:
            self.base = dt.datetime.fromisoformat(state["now"])
            self.speed = float(state["speed"])
            self.at = time.monotonic()
            self.state = state
        return state

    def now(self) -> dt.datetime:
        with self.lock:
            return self.base + dt.timedelta(seconds=(time.monotonic() - self.at) * self.speed)

    def seconds_until(self, moment: dt.datetime) -> float:
        """Real seconds until the server's clock shows `moment` (inf if it stands still)."""
        ahead = (moment - self.now()).total_seconds()
        if ahead <= 0:
            return 0.0
        return ahead / self.speed if self.speed > 0 else float("inf")


def prepare(api: Api, event: Event, speed: float | None) -> ServerClock:
    """Check that the server is one to rehearse on (its speed is set when the day starts:
    `start_clock`)."""
    state = api.must("GET", "/api/clock")
    served = state.get("event") or {}
    if served.get("name") and (served.get("name"), served.get("date")) != \
            (event.name, event.date.isoformat()):
        raise SimulationError(f"de server draait {served.get('name')} ({served.get('date')}), "
                              f"het evenementbestand hier {event.name} "
                              f"({event.date.isoformat()}): geef hetzelfde --event")
    if not state.get("rehearsal"):
        raise SimulationError("de server loopt op de echte klok: een simulatie zou echte "
                              "deelnemers aanmelden. Start hem met --clock (bv. --clock 08:45).")
    clock = ServerClock(api)
    clock.found_speed = clock.speed  # given back after the run
    if clock.speed <= 0 and not speed:
        raise SimulationError("de klok van de server staat stil: geef --speed")
    return clock


def start_clock(api: Api, clock: ServerClock, speed: float | None) -> None:
    """Set the server's clock to the run's speed at the moment the day starts (setting it
    before pairing the stations would let event time pass unplayed)."""
    if speed is not None and speed != clock.speed:
        api.must("PUT", "/api/clock", {"speed": speed})
        clock.sync()


def guests_of(api: Api) -> list[Guest]:
    rows = api.must("GET", "/api/registrations")["attendees"]
    return [Guest(r["id"], r["code"], r["first_name"], r["last_name"], r["status"],
                  r["sessions"], r["meals"]) for r in rows]


@dataclass
class Options:
    seed: int = 1
    speed: float | None = None  # None: as fast as the server's clock already runs
    desks: int = 3
    until: dt.datetime | None = None
    progress: Callable[[str], None] = lambda line: None
    stop: threading.Event = field(default_factory=threading.Event)


def run(url: str, token: str, event: Event, options: Options | None = None) -> Report:
    """Plan the day for the server's registration list and play it; the report."""
    options = options or Options()
    admin = Api(url, token)
    clock = prepare(admin, event, options.speed)
    try:
        with paired(admin, event, options.desks) as stations:
            return play_day(url, admin, event, clock, stations, options)
    finally:
        _give_back_speed(admin, clock, options)


def _give_back_speed(admin: Api, clock: ServerClock, options: Options) -> None:
    """A run at --speed leaves the server's clock running as fast as it found it."""
    if options.speed is not None and options.speed != clock.found_speed:
        admin.call("PUT", "/api/clock", {"speed": clock.found_speed})


def run_loop(url: str, token: str, event: Event, options: Options,
             pause_s: float = 60) -> None:
    """Play the day again and again (the living demo): after each day a pause, then the
    rehearsal is wiped and the clock set back to where it started."""
    admin = Api(url, token)
    clock = prepare(admin, event, options.speed)
    start = clock.now().isoformat(timespec="seconds")
    with paired(admin, event, options.desks) as stations, \
            contextlib.ExitStack() as after:
        after.callback(_give_back_speed, admin, clock, options)
        while not options.stop.is_set():
            report = play_day(url, admin, event, clock, stations, options)
            for line in report.summary():
                options.progress(line)
            if options.stop.wait(pause_s):
                return
            admin.must("POST", "/api/rehearsal/reset")
            admin.must("PUT", "/api/clock", {"at": start})
            clock.sync()
            options = dataclasses.replace(options, seed=options.seed + 1)


def play_day(url: str, admin: Api, event: Event, clock: ServerClock,
             stations: dict[str, tuple[int, str]], options: Options) -> Report:
    """One planned day, played through the paired stations."""
    plan = plan_day(guests_of(admin), event, options.seed, Shape(desks=options.desks))
    if options.until is not None:
        plan.steps = [s for s in plan.steps if s.at <= options.until]
    if not plan.steps:
        raise SimulationError("niets te spelen: de lijst is leeg, of --until ligt vóór de dag")
    if clock.now() - plan.start > CATCH_UP_NOTICE:
        options.progress(f"De klok van de server staat al op {clock.now():%H:%M}: wat "
                         f"daarvoor gebeurt, wordt meteen gespeeld.")
    start_clock(admin, clock, options.speed)
    report = Report(started=time.monotonic(), planned_arrivals=_arrivals(plan))
    try:
        _play(url, plan, stations, clock, report, options.progress, options.stop)
    except KeyboardInterrupt:
        options.stop.set()
        report.interrupted = True
    finally:
        report.ended = time.monotonic()
    status, answer, _ = admin.call("GET", "/api/headcounts")
    if status == 200 and answer:
        report.final = answer.get("totals") or {}
    return report


def _arrivals(plan: Plan) -> int:
    """Who should have arrived once the (possibly cut) plan is played: each visitor whose
    arrival is in it, and each walk-in."""
    arriving = {s.guest_id for s in plan.steps if s.action == "scan" and s.expect ==
                "checked_in" and s.station.startswith("desk") and s.guest_id in plan.visits
                and s.at >= plan.visits[s.guest_id].arrives}
    return len(arriving) + sum(1 for s in plan.steps if s.action == "walk_in")


@contextlib.contextmanager
def paired(admin: Api, event: Event, desks: int) -> Iterator[dict[str, tuple[int, str]]]:
    """The simulator's own stations, key -> (id, token); revoked afterwards, whatever
    happens."""
    stations: dict[str, tuple[int, str]] = {}
    try:
        for spec in stations_for(event, max(1, desks)):
            answer = admin.must("POST", "/api/stations", {
                "role": spec.role, "name": spec.name, "location": spec.location})
            stations[spec.key] = (answer["id"], answer["token"])
        yield stations
    finally:
        for station_id, _token in stations.values():
            admin.call("POST", f"/api/stations/{station_id}/revoke")


def _play(url: str, plan: Plan, stations: dict[str, tuple[int, str]], clock: ServerClock,
          report: Report, progress: Callable[[str], None], stop: threading.Event) -> None:
    codes: dict[str, str] = {}  # a walk-in's reference -> their badge code, once registered
    codes_ready = threading.Condition()
    day_over = threading.Event()  # this day's players stop; `stop` ends the whole run
    order = _GuestOrder(plan)
    players = [_Player(key, Api(url, token), plan, clock, report, codes, codes_ready,
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


class _GuestOrder:
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


class _Player:
    """One station playing its steps in order, as its tablet would."""

    def __init__(self, key: str, api: Api, plan: Plan, clock: ServerClock, report: Report,
                 codes: dict[str, str], codes_ready: threading.Condition,
                 stop: threading.Event, order: _GuestOrder):
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
