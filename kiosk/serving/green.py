"""gevent for the production server: one process, greenlets instead of threads.

Why: in Flask-SocketIO's threading mode every WebSocket has its own writer thread, and one
push wakes all of them; at 500 screens that costs ~0.1 ms a screen in GIL hand-offs (a
pushed snapshot's p99 was 179 ms on the 2-core VM). With gevent the same push is a loop of
socket writes in one thread (p99 55-62 ms), and scans stop paying for threads handing the
GIL to each other (bench/bench_live.py, bench/bench_scans.py; README).

The price: code that blocks without yielding blocks every connection. SQLite statements
and the fsync of a commit (0.2-0.5 ms here) stay on the event loop: handing them to a
thread costs more than they take (measured). CPU-heavy work (badge rendering, headcount
snapshots, the name search: tens to hundreds of milliseconds) goes to gevent's pool of real
threads through `offload`. A write lock held by another process (an import from the
command line) pauses the server while SQLite waits for it.

Monkey-patching must come before anything creates a lock or a thread, which is why
`python -m kiosk` decides it in `kiosk/__main__.py`, before the app is imported. Tests
and the command line's other commands run unpatched (threading mode); `offload` then
simply calls.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

SERVING_COMMANDS = ("serve", "demo")
_OPTIONS_WITH_VALUE = ("--db", "--event")
T = TypeVar("T")


def command_of(args: Sequence[str]) -> str | None:
    """The command in `python -m kiosk [--db X] [--event Y] COMMAND ...`."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def patch_if_serving(args: Sequence[str]) -> bool:
    """Monkey-patch for gevent when this process is going to serve; True if it did."""
    if command_of(args) not in SERVING_COMMANDS:
        return False
    patch()
    return True


def patch() -> None:
    """Make this process a gevent process (call before anything else is imported)."""
    from gevent import monkey

    monkey.patch_all()
    # The event loop shares the GIL with the pool's threads (snapshots, badges): let it
    # back in after 1 ms instead of 5. With ten organiser screens on 3,000 people, a scan's
    # p99 went from 25 to 13 ms.
    sys.setswitchinterval(0.001)


def active() -> bool:
    """Is this process running on gevent (monkey-patched)?"""
    try:
        from gevent import monkey
    except ImportError:  # pragma: no cover - gevent is in requirements.txt
        return False
    return monkey.is_module_patched("threading")


def offload(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking or CPU-heavy work where it does not stop every connection: in gevent's
    pool of real threads when serving on gevent, right here otherwise."""
    if not active():
        return function(*args, **kwargs)
    import gevent

    return gevent.get_hub().threadpool.apply(functools.partial(function, *args, **kwargs))
