"""Talking to the server under rehearsal: one station's HTTP session, and its clock.

`Api` is one station's connection (its token, its own session); `ServerClock` is the
server's event clock as seen from here (asked now and then, extrapolated in between at the
server's speed); `prepare` checks that a server is one to rehearse on.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import requests

from kiosk.event import Event
from kiosk.rehearsal.plan import Guest

TIMEOUT_S = 10


class SimulationError(Exception):
    """The simulation cannot start or go on; the message says why, in words."""


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
