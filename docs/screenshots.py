"""Photograph the living demo: every screen at chosen moments of the simulated day.

Starts `python -m kiosk demo` on a fresh database in a temporary folder (clock from 08:45,
the simulator in the background), waits until the demo's clock reaches each moment, and
takes a screenshot of each screen at the sizes of the devices that show it, in Debian's
Chromium. The PNGs land in --out (default test-artifacts/demo/); open them and judge.

    .venv/bin/python docs/screenshots.py --at 09:20 12:45 16:45 --speed 100
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.commands.serving import demo_tokens  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
# (role, page, label, viewport): the devices that show each screen.
SHOTS = [
    ("caterer", "/caterer", "kitchen-tv", (1920, 1080)),
    ("caterer", "/caterer", "kitchen-1280", (1280, 800)),
    ("host", "/host", "host-phone", (390, 844)),
    ("host", "/host", "host-tablet", (1024, 768)),
    ("organiser", "/organiser", "organiser", (1920, 1080)),
    ("reception", "/reception", "reception-tablet", (1024, 768)),
]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def demo(folder: Path, port: int, speed: float):
    env = dict(os.environ, KIOSK_INSTANCE=str(folder), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--db", str(folder / "demo.db"), "demo", "--port",
         str(port), "--speed", str(speed)], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            with contextlib.suppress(requests.RequestException):
                requests.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            time.sleep(0.1)
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_for(url: str, token: str, moment: str) -> str:
    """Wait until the demo's clock shows `moment` (HH:MM); the clock's time then."""
    target = dt.time.fromisoformat(moment)
    while True:
        now = requests.get(f"{url}/api/clock", headers={"Authorization": f"Bearer {token}"},
                           timeout=5).json()["now"]
        if dt.datetime.fromisoformat(now).time() >= target:
            return now
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at", nargs="+", default=["09:20", "12:45", "16:45"])
    parser.add_argument("--speed", type=float, default=100)
    parser.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "demo")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as driver:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with demo(Path(tmp), port, args.speed):
            tokens = demo_tokens((Path(tmp) / "secret_key").read_text().strip())
            chromium = driver.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for moment in sorted(args.at):
                now = wait_for(url, tokens["organiser"], moment)
                for role, page_path, label, (width, height) in SHOTS:
                    context = chromium.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    page.goto(f"{url}/pair/{tokens[role]}")
                    page.goto(url + page_path)
                    page.wait_for_timeout(1200)  # the socket's first snapshot, the fitting
                    path = args.out / f"{moment.replace(':', '')}-{label}-{width}x{height}.png"
                    page.screenshot(path=str(path))
                    context.close()
                print(f"{moment} (demo clock {now[11:19]}): {len(SHOTS)} screenshots in "
                      f"{args.out}", flush=True)
            chromium.close()


if __name__ == "__main__":
    main()
