"""Deltas over Socket.IO: a screen that asks for them gets a full snapshot, then patches
on the round before (kiosk.headcounts.deltas), and ends up holding exactly what a screen
that gets full snapshots holds. Against the production server, with real clients."""

from __future__ import annotations

import json
import threading

import socketio

from kiosk.headcounts import deltas
from tests.test_live import Dashboard, codes_of, scan, tokens  # noqa: F401  (fixture)


class DeltaScreen:
    """A real python-socketio client that asks for deltas and rebuilds each snapshot, as
    static/js/live.js does: a patch applies only to the broadcast it names as its base."""

    def __init__(self, server, token: str):
        self.full: list[dict] = []  # full snapshots received
        self.patches: list[dict] = []  # delta events received
        self.base: dict | None = None
        self.misfits = 0  # patches that did not fit what we held
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=False)
        self.client.on("headcounts", self._on_full, namespace="/live")
        self.client.on("headcounts_delta", self._on_delta, namespace="/live")
        self.client.connect(server.url, namespaces=["/live"], transports=["websocket"],
                            auth={"token": token, "deltas": True}, wait_timeout=5)

    def _on_full(self, data: dict) -> None:
        with self.changed:
            self.full.append(data)
            self.base = data
            self.changed.notify_all()

    def _on_delta(self, data: dict) -> None:
        with self.changed:
            self.patches.append(data)
            if self.base is None or data["base"] != self.base["seq"]:
                self.misfits += 1
            else:
                self.base = deltas.apply(self.base, data["patch"])
            self.changed.notify_all()

    def wait_for(self, predicate, timeout: float = 5.0) -> dict:
        with self.changed:
            seen = self.changed.wait_for(
                lambda: self.base is not None and predicate(self.base), timeout)
            assert seen, f"not seen; holding seq {self.base and self.base['seq']}"
            return self.base

    def close(self) -> None:
        self.client.disconnect()


def test_patches_rebuild_what_full_snapshots_say(server, loaded, tokens):  # noqa: F811
    plain = Dashboard(server, tokens["organiser"])
    screen = DeltaScreen(server, tokens["organiser"])
    try:
        for n, code in enumerate(codes_of(loaded, 6), 1):
            scan(server, tokens["reception"], code)
            screen.wait_for(lambda s, n=n: s["totals"]["arrived"] == n)
        last = plain.wait_for(lambda e: e["totals"]["arrived"] == 6)
        held = screen.wait_for(lambda s: s["seq"] == last["seq"])
        assert held == last
        assert screen.patches and screen.misfits == 0
        size = len(json.dumps(screen.patches[-1]))
        assert size < len(json.dumps(last)) / 3  # a scan changes a small part
    finally:
        plain.close()
        screen.close()


def test_a_screen_that_lost_track_asks_again_and_follows_patches_after(server, loaded,
                                                                       tokens):  # noqa: F811
    screen = DeltaScreen(server, tokens["organiser"])
    codes = codes_of(loaded, 4)
    try:
        scan(server, tokens["reception"], codes[0])
        screen.wait_for(lambda s: s["totals"]["arrived"] == 1)
        with screen.changed:
            screen.base = dict(screen.base, seq=-5)  # as if a patch had gone missing
        scan(server, tokens["reception"], codes[1])
        with screen.changed:
            assert screen.changed.wait_for(lambda: screen.misfits > 0, 5)
        answer = screen.client.call("snapshot", {"resync": True}, namespace="/live",
                                    timeout=5)
        assert answer["totals"]["arrived"] == 2
        fulls = len(screen.full)
        scan(server, tokens["reception"], codes[2])
        screen.wait_for(lambda s: s["totals"]["arrived"] == 3)
        assert len(screen.full) == fulls + 1  # a full snapshot first, again
        misfits = screen.misfits
        scan(server, tokens["reception"], codes[3])
        screen.wait_for(lambda s: s["totals"]["arrived"] == 4)
        assert screen.misfits == misfits and len(screen.full) == fulls + 1
    finally:
        screen.close()


def test_a_screen_without_deltas_gets_full_snapshots_only(server, loaded, tokens):  # noqa: F811
    plain = Dashboard(server, tokens["caterer"])
    try:
        for code in codes_of(loaded, 2):
            scan(server, tokens["reception"], code)
        plain.wait_for(lambda e: e["totals"]["arrived"] == 2)
        assert all("patch" not in e and "catering" in e for e in plain.events)
    finally:
        plain.close()
