"""`kiosk.rehearsal.simulator.run` in a process of its own, its Report handed back as JSON.

The tests that play a day run the simulator outside the test process for one reason:
`make test-evening` runs them under Debian's faketime (libfaketime 0.9.10), which makes
every timed wait of Python's threading (`Event.wait(0.25)`, `Condition.wait(0.5)`) hang
for good, and the simulator's stations wait that way between steps. The simulator is a
client that only follows the server's clock, so it runs without faketime; the server, the
part whose behaviour depends on the hour, still runs under it.

    python -m tests.simulating URL SEED SPEED UNTIL   (the token in KIOSK_TOKEN)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from kiosk.rehearsal.simulator import Report, SimulationError

ROOT = Path(__file__).resolve().parents[1]
_FIELDS = [f.name for f in dataclasses.fields(Report) if f.name != "lock"]


def simulate(url: str, token: str, *, seed: int, speed: float, until: dt.datetime) -> Report:
    """Play the plan for `seed` against the server at `url` until `until`; the Report,
    or the SimulationError the simulator raised."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.simulating", url, str(seed), str(speed),
         until.isoformat()], env=dict(_without_faketime(os.environ), KIOSK_TOKEN=token),
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    if done.returncode == 3:
        raise SimulationError(json.loads(done.stdout)["error"])
    if done.returncode != 0:
        raise RuntimeError(f"the simulator failed:\n{done.stderr}")
    values = json.loads(done.stdout)
    return Report(**dict(values, answers=Counter(values["answers"]),
                         undos=Counter(values["undos"])))


def _without_faketime(env: os._Environ) -> dict[str, str]:
    clean = {k: v for k, v in env.items() if not k.startswith("FAKETIME")}
    preload = [p for p in re.split(r"[:\s]+", env.get("LD_PRELOAD", ""))
               if p and "faketime" not in p]
    clean.pop("LD_PRELOAD", None)
    if preload:
        clean["LD_PRELOAD"] = " ".join(preload)
    return clean


def main(url: str, seed: str, speed: str, until: str) -> int:
    from kiosk.event import load_event
    from kiosk.rehearsal.simulator import Options, run

    try:
        report = run(url, os.environ["KIOSK_TOKEN"], load_event(),
                     Options(seed=int(seed), speed=float(speed),
                             until=dt.datetime.fromisoformat(until)))
    except SimulationError as exc:
        print(json.dumps({"error": str(exc)}))
        return 3
    print(json.dumps({name: getattr(report, name) for name in _FIELDS}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
