"""The event clock: one clock for the whole service, real on the day, a rehearsal's otherwise.

A rehearsal clock starts at an event time and runs `speed` event seconds per real second;
`kiosk/clock.py` is the only module of `kiosk/` that reads the wall clock (checked below,
on the source itself).
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk import clock as clocks
from kiosk.clock import ClockError, EventClock, from_settings, parse_speed, parse_time
from tests.clocks import DAY, TZ, at, pinned

ROOT = Path(__file__).resolve().parents[1]


# --- reading a time and a speed ---------------------------------------------------------------

def test_a_bare_time_is_that_time_on_the_event_day_in_brussels():
    """`--clock 09:40` means 09:40 in Brussels on the event's date (summer time: +02:00)."""
    moment = parse_time("09:40", DAY, TZ)
    assert moment == at("09:40")
    assert moment.tzinfo == TZ and moment.utcoffset() == dt.timedelta(hours=2)
    assert parse_time(" 9:05 ", DAY, TZ) == at("09:05")
    assert parse_time("12:15:30", DAY, TZ) == at("12:15") + dt.timedelta(seconds=30)


def test_a_date_and_time_without_offset_is_read_in_the_event_time_zone():
    """`2023-05-23T09:40` is Brussels time, not UTC and not the machine's zone."""
    moment = parse_time("2023-05-23T09:40", DAY, TZ)
    assert moment == at("09:40") and moment.tzinfo == TZ
    assert parse_time("2023-05-22T23:30", DAY, TZ).date() == dt.date(2023, 5, 22)


def test_a_time_with_an_offset_keeps_its_offset():
    """An ISO time with an offset is taken as written: 07:40 UTC is 09:40 in Brussels."""
    moment = parse_time("2023-05-23T07:40+00:00", DAY, TZ)
    assert moment.utcoffset() == dt.timedelta(0)
    assert moment == at("09:40")


@pytest.mark.parametrize("text", ["bla", "", "   ", "25:00", "09:61", "2023-13-01T09:00",
                                  "9u40"])
def test_what_is_not_a_time_is_refused_in_dutch(text):
    """A time that makes no sense is a ClockError that says how to write one."""
    with pytest.raises(ClockError, match="is geen tijdstip: schrijf 09:40 of 2023-05-23T09:40"):
        parse_time(text, DAY, TZ)


@pytest.mark.parametrize(("value", "words"), [
    ("-1", "ligt niet tussen 0 en 10000"), (-0.5, "ligt niet tussen"),
    ("nan", "ligt niet tussen"), (math.nan, "ligt niet tussen"), ("inf", "ligt niet tussen"),
    ("1e9", "ligt niet tussen"), (clocks.MAX_SPEED + 1, "ligt niet tussen"),
    ("abc", "is geen getal"), ("20x", "is geen getal"), ([20], "is geen getal"),
])
def test_a_speed_outside_0_to_10000_or_not_a_number_is_refused_in_dutch(value, words):
    """Speeds are numbers from 0 to 10 000; NaN, infinity and negatives are refused."""
    with pytest.raises(ClockError, match=words):
        parse_speed(value)


def test_speed_zero_stands_still_and_no_speed_is_real_time():
    """0 is allowed (a clock that stands still); nothing given is speed 1."""
    assert parse_speed(0) == parse_speed("0") == 0.0
    assert parse_speed(None) == parse_speed("") == 1.0
    assert parse_speed("20") == 20.0 and parse_speed(clocks.MAX_SPEED) == clocks.MAX_SPEED


def test_settings_without_clock_are_the_real_clock_and_with_clock_a_rehearsal():
    """No --clock: the real clock. --clock (with or without --speed): a rehearsal clock."""
    real = from_settings(None, None, DAY, TZ)
    assert not real.rehearsal and real.speed == 1.0
    assert not from_settings("", "1", DAY, TZ).rehearsal
    assert not from_settings(None, "1.0", DAY, TZ).rehearsal  # KIOSK_SPEED=1.0: the default
    still = from_settings("09:40", "0", DAY, TZ)
    assert still.rehearsal and still.speed == 0 and still.now() == at("09:40")
    assert from_settings("2023-05-23T12:15", 20, DAY, TZ).speed == 20
    own = pinned()
    assert from_settings(own, None, DAY, TZ) is own  # tests hand over a clock of their own


def test_a_speed_without_a_clock_is_an_error_not_silently_ignored():
    """`--speed 20` alone would run on the real clock at speed 1: refused instead."""
    with pytest.raises(ClockError, match="--speed hoort bij --clock"):
        from_settings(None, 20, DAY, TZ)
    with pytest.raises(ClockError, match="--speed hoort bij --clock"):
        from_settings("", "0", DAY, TZ)
    with pytest.raises(ClockError, match="is geen tijdstip"):
        from_settings("bla", 20, DAY, TZ)
    with pytest.raises(ClockError, match="ligt niet tussen"):
        from_settings("09:40", -1, DAY, TZ)


# --- how a clock runs ------------------------------------------------------------------------

def test_a_rehearsal_clock_runs_speed_event_seconds_per_real_second():
    """At speed 600 a fifth of a real second is two event minutes. Measured between
    monotonic readings taken just before and just after each reading of the clock, so the
    bounds are exact and the test cannot be flaky."""
    clock = EventClock(TZ, at("09:00"), speed=600)
    before_first = time.monotonic()
    first = clock.now()
    after_first = time.monotonic()
    time.sleep(0.2)
    before_second = time.monotonic()
    second = clock.now()
    after_second = time.monotonic()
    event_seconds = (second - first).total_seconds()
    slack = 1e-3  # datetime keeps microseconds
    assert 600 * (before_second - after_first) - slack <= event_seconds
    assert event_seconds <= 600 * (after_second - before_first) + slack
    assert event_seconds >= 120 - slack
    assert clock.rehearsal and clock.speed == 600 and second.tzinfo == TZ


def test_a_frozen_clock_does_not_move():
    """EventClock.frozen(moment) is a rehearsal clock at speed 0: what the tests run on."""
    clock = EventClock.frozen(at("12:15"))
    first = clock.now()
    time.sleep(0.05)
    assert clock.now() == first == at("12:15")
    assert clock.rehearsal and clock.speed == 0
    assert clock.stamp() == "2023-05-23T10:15:00.000+00:00"  # as the database stores it


def test_set_moves_a_rehearsal_clock_and_keeps_or_changes_its_speed():
    """set(start) jumps to another moment at the same speed; set(start, speed) also changes
    how fast it runs."""
    clock = pinned("09:20")
    clock.set(at("12:15"))
    assert clock.now() == at("12:15") and clock.speed == 0
    clock.set(at("14:00"), 60)
    assert clock.speed == 60 and at("14:00") <= clock.now() < at("14:01")
    clock.set(at("16:30"), 0)
    assert clock.now() == at("16:30")


def test_set_refuses_nonsense_and_the_real_clock_is_never_moved():
    """A naive start or a bad speed is refused and the clock stays; the real clock
    cannot be set at all."""
    clock = pinned("09:20")
    with pytest.raises(ClockError):
        clock.set(dt.datetime(2023, 5, 23, 12, 15))
    with pytest.raises(ClockError, match="ligt niet tussen"):
        clock.set(at("12:15"), -3)
    assert clock.now() == at("09:20") and clock.speed == 0
    real = EventClock(TZ)
    with pytest.raises(ClockError, match="de echte klok kan niet verzet worden"):
        real.set(at("12:15"))
    assert not real.rehearsal


def test_event_time_maps_a_real_moment_onto_the_rehearsal_day():
    """A tablet's last contact (a wall-clock fact) is shown in rehearsal time: ten real
    seconds later is ten event minutes later at speed 60; on a frozen clock it is always
    the frozen moment; on the real clock it is the same moment in Brussels."""
    running = EventClock(TZ, at("09:00"), speed=60)
    wall = clocks.real_now()
    later = running.event_time(wall + dt.timedelta(seconds=10))
    assert later - running.event_time(wall) == dt.timedelta(minutes=10)
    assert at("09:00") <= running.event_time(wall) < at("09:10")
    assert pinned("12:15").event_time(wall - dt.timedelta(hours=5)) == at("12:15")
    real = EventClock(TZ)
    a_moment = dt.datetime(2023, 5, 23, 7, 40, tzinfo=dt.UTC)
    assert real.event_time(a_moment) == at("09:40") and real.event_time(a_moment).tzinfo == TZ


def test_describe_says_what_pages_and_clients_are_told():
    """{now (ISO, seconds, with offset), speed, rehearsal}."""
    assert pinned("12:15").describe() == {"now": "2023-05-23T12:15:00+02:00", "speed": 0,
                                          "rehearsal": True}
    real = EventClock(TZ).describe()
    assert set(real) == {"now", "speed", "rehearsal"}
    assert real["speed"] == 1.0 and real["rehearsal"] is False
    assert dt.datetime.fromisoformat(real["now"]).utcoffset() is not None


# --- the wall-clock rule ---------------------------------------------------------------------

WALL_CLOCK = frozenset({
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
    "datetime.date.today", "time.time", "time.time_ns", "time.localtime", "time.gmtime",
})


def wall_clock_reads(source: str, filename: str = "<source>") -> list[str]:
    """Every place in `source` that reads the wall clock, as 'file:line name': a call or a
    reference of a name in WALL_CLOCK (so `default_factory=time.time` counts too), and an
    import of one (`from time import time`), in any import or alias form. Monotonic timers
    (time.monotonic, time.perf_counter) measure durations and are fine."""
    tree = ast.parse(source, filename)
    aliases: dict[str, str] = {}  # local name -> what it is ("dt" -> "datetime")
    found: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                aliases[name.asname or name.name.partition(".")[0]] = \
                    name.name if name.asname else name.name.partition(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for name in node.names:
                full = f"{node.module}.{name.name}"
                aliases[name.asname or name.name] = full
                if full in WALL_CLOCK:
                    found.add((node.lineno, f"from {node.module} import {name.name}"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute | ast.Name) and isinstance(node.ctx, ast.Load):
            name = _dotted(node)
            if name is None:
                continue
            head, _, rest = name.partition(".")
            full = aliases.get(head, head) + (f".{rest}" if rest else "")
            if full in WALL_CLOCK:
                found.add((node.lineno, name))
    return [f"{filename}:{line} {what}" for line, what in sorted(found)]


def _dotted(node: ast.AST) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None (`f().now`)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id, *reversed(parts)])


@pytest.mark.parametrize("source", [
    "import datetime as dt\nstamp = dt.datetime.now(dt.UTC)\n",
    "import datetime\nx = datetime.datetime.utcnow()\n",
    "from datetime import datetime\ndatetime.now()\n",
    "from datetime import datetime as D\nD.today()\n",
    "from datetime import date\nday = date.today()\n",
    "import datetime as dt\nday = dt.date.today()\n",
    "import time\nstarted = time.time()\n",
    "import time as t\nt.time_ns()\n",
    "import time\ntime.localtime()\n",
    "import time\ntime.gmtime()\n",
    "from time import time\nstarted = time()\n",
    "from time import time as clock\nclock()\n",
    "from time import localtime\n",
    "import time\nfrom dataclasses import field\nf = field(default_factory=time.time)\n",
])
def test_the_checker_catches_every_way_of_reading_the_wall_clock(source):
    """The rule's checker finds a violation in each import form (so the rule is real)."""
    assert wall_clock_reads(source, "x.py"), source


def test_the_checker_allows_monotonic_timers_and_lookalikes():
    """Durations, other modules' `now`, and datetime arithmetic are no wall-clock reads."""
    source = ("import time\nimport datetime as dt\nfrom kiosk.store import now\n"
              "time.monotonic(); time.perf_counter(); time.sleep(1); now()\n"
              "clock.now(); dt.datetime.fromisoformat('2023-05-23'); dt.date(2023, 5, 23)\n"
              "def today(): pass\ntoday()\n")
    assert wall_clock_reads(source) == []


def test_only_kiosk_clock_reads_the_wall_clock():
    """Every module of kiosk/ asks kiosk.clock for the time (EventClock.now() for the event
    time, real_now() for facts of the real world), so a rehearsal moves all of them."""
    package = ROOT / "kiosk"
    modules = sorted(p for p in package.rglob("*.py") if p != package / "clock.py")
    assert len(modules) > 20  # the walk found the package
    reads = [line for path in modules
             for line in wall_clock_reads(path.read_text(), str(path.relative_to(ROOT)))]
    assert not reads, ("only kiosk/clock.py may read the wall clock; use the EventClock "
                       "(get_clock().now()) or kiosk.clock.real_now() instead:\n  "
                       + "\n  ".join(reads))
    assert wall_clock_reads((package / "clock.py").read_text())  # where it is read


# --- the command line ------------------------------------------------------------------------

def test_serve_with_a_bad_clock_fails_before_serving(runner):
    """`serve --clock bla` is a usage error (exit 2) with the Dutch reason; no server
    starts (the runner would hang if it did)."""
    result = runner.invoke(args=["serve", "--clock", "bla", "--port", "1"])
    assert result.exit_code == 2
    assert "'bla' is geen tijdstip: schrijf 09:40 of 2023-05-23T09:40" in result.stderr
    speed_only = runner.invoke(args=["serve", "--speed", "20", "--port", "1"])
    assert speed_only.exit_code == 2 and "--speed hoort bij --clock" in speed_only.stderr
    too_fast = runner.invoke(args=["serve", "--clock", "09:40", "--speed", "1e9", "--port", "1"])
    assert too_fast.exit_code == 2 and "ligt niet tussen" in too_fast.stderr


def run_kiosk(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    environment.update(KIOSK_SECRET_KEY="test-secret", **env)
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", str(tmp_path / "k.db"),
                           *args], env=environment, cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_a_bad_kiosk_clock_in_the_environment_is_one_error_line(tmp_path):
    """KIOSK_CLOCK=bla stops every command with one `Error:` line, no traceback, and
    nothing written."""
    out = tmp_path / "out.csv"
    result = run_kiosk(tmp_path, "export", str(out), KIOSK_CLOCK="bla")
    assert result.returncode == 1
    assert result.stderr.strip() == \
        "Error: 'bla' is geen tijdstip: schrijf 09:40 of 2023-05-23T09:40"
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not out.exists()
    speed = run_kiosk(tmp_path, "export", str(out), KIOSK_SPEED="20")
    assert speed.returncode == 1
    assert speed.stderr.strip() == "Error: --speed hoort bij --clock: geef ook het starttijdstip"
