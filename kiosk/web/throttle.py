"""Failed sign-ins counted per address: a guesser is slowed down, a tablet is not.

A pairing token has 256 bits, so guessing one is hopeless; but a flood of wrong tokens
(hundreds a second) still costs the server a hash and a query each, and tells an
onlooker nothing is watching. After FAILURES wrong tokens (`/pair/TOKEN`, a Bearer
header) within WINDOW seconds, an address gets 429 for every token it sends until the
oldest failure leaves the window. While an address is held back, valid tokens from it are
refused too: otherwise the guessing would simply go on. Paired browser sessions (the
signed cookie) are not affected, so a tablet that is already paired keeps working.

Counted in this process's memory (a restart forgets; with `--workers N`, each worker
counts for itself). Durations come from the monotonic clock, not the event clock: a
rehearsal at ×20 must not shorten the wait.
"""

from __future__ import annotations

import threading
import time
from collections import deque

FAILURES = 20
WINDOW = 60.0  # seconds
MAX_ADDRESSES = 10_000  # a flood from many addresses must not grow the table without end


class AuthThrottle:
    """Failed authentications per address within a sliding window."""

    def __init__(self, failures: int = FAILURES, window: float = WINDOW):
        self.failures, self.window = failures, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> int:
        """0 when the address may try; else the seconds until it may try again."""
        with self._lock:
            times = self._recent(address)
            if times is None or len(times) < self.failures:
                return 0
            return max(1, int(times[0] + self.window - time.monotonic()) + 1)

    def failed(self, address: str) -> None:
        """Count one wrong token from this address."""
        with self._lock:
            times = self._recent(address)
            if times is None:
                if len(self._seen) >= MAX_ADDRESSES:
                    self._forget_oldest()
                times = self._seen[address] = deque()
            times.append(time.monotonic())
            while len(times) > self.failures:
                times.popleft()

    def _recent(self, address: str) -> deque[float] | None:
        times = self._seen.get(address)
        if times is None:
            return None
        limit = time.monotonic() - self.window
        while times and times[0] < limit:
            times.popleft()
        if not times:
            del self._seen[address]
            return None
        return times

    def _forget_oldest(self) -> None:
        oldest = min(self._seen, key=lambda a: self._seen[a][-1])
        del self._seen[oldest]
