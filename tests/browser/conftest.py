"""Browser tests: Debian's Chromium driven by Playwright, a fake camera, a live server.

Fixtures (all Chromium launches are shared by the whole session):

- `browser`: Chromium without a camera (a laptop with a handheld scanner).
- `camera_browser(source)`: Chromium whose camera shows `source` (a .y4m file, another
  image file such as a badge PNG, or a PIL image) to every capture opened from now on.
- `new_page(browser=None, **context_options)`: a page in a fresh context (own cookies),
  closed after the test; screenshotted into the artifacts when the test fails.
- `live_server`: the kiosk app on a temporary database, served on 127.0.0.1;
  `live_server_factory(app=None, **config)` for an app of your own.
- `watch_requests(page, origin)`: every URL the page asks for; foreign ones are aborted.
- `screenshot(page, name)`: a PNG in test-artifacts/browser/ to open and judge.

Locally the tests skip when /usr/bin/chromium is missing; with CI=true they fail instead,
because CI must never pass by skipping them (.ci/run installs Chromium).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from kiosk import create_app
from tests.browser import fakecam
from tests.browser.server import LiveServer
from tests.clocks import pinned

CHROMIUM = os.environ.get("KIOSK_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CAMERA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]
ARTIFACTS = (
    Path(
        os.environ.get("KIOSK_ARTIFACTS") or Path(__file__).resolve().parents[2] / "test-artifacts"
    )
    / "browser"
)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell that a test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright():
    """Playwright's driver, or a skip (locally) or a failure (CI) without Chromium."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: apt-get install chromium (never `playwright install`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


def _launch(playwright, *extra: str):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*ARGS, *extra])


@pytest.fixture(scope="session")
def browser(playwright):
    """Chromium with no camera at all."""
    chromium = _launch(playwright)
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def camera_browser(playwright, tmp_path_factory) -> Iterator[Callable]:
    """`camera_browser(source, dedicated=False)` -> a Browser whose camera shows `source`.

    Chromium opens the fake-camera file when its capture device starts, not once per launch,
    so one shared launch serves every picture: the file is swapped underneath it between
    tests. While a page of the shared browser is still open, though, the device may still
    be running with the old picture; a different picture is then given a launch of its own
    (as is any source asked for with `dedicated=True`), cached for the session.
    """
    folder = tmp_path_factory.mktemp("camera")
    shared_file = folder / "camera.y4m"
    launches: dict[str, object] = {}
    numbers = count()

    def as_y4m(source: Image.Image | str | Path) -> Path:
        if not isinstance(source, Image.Image) and Path(source).suffix == ".y4m":
            return Path(source)
        return fakecam.write_y4m(source, folder / f"source-{next(numbers)}.y4m")

    def launch(key: str, y4m: Path):
        if key not in launches:
            launches[key] = _launch(
                playwright, *CAMERA_ARGS, f"--use-file-for-fake-video-capture={y4m}"
            )
        return launches[key]

    def get(source: Image.Image | str | Path, dedicated: bool = False):
        y4m = as_y4m(source)
        frames = y4m.read_bytes()
        shared = launches.get("shared")
        if shared_file.exists() and shared_file.read_bytes() == frames:
            return launch("shared", shared_file)
        if dedicated or (shared is not None and shared.contexts):
            return launch(str(y4m.resolve()), y4m)
        swap = shared_file.with_suffix(".tmp")
        swap.write_bytes(frames)
        swap.replace(shared_file)  # atomic: Chromium never reads half a file
        return launch("shared", shared_file)

    yield get
    for launched in launches.values():
        launched.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


@pytest.fixture
def screenshot(request, artifacts_dir) -> Callable:
    """`screenshot(page, name)` -> the path of a full-page PNG named after the test."""

    def take(page, name: str) -> Path:
        path = artifacts_dir / f"{_slug(request.node.name)}--{_slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def new_page(request, browser, artifacts_dir) -> Iterator[Callable]:
    """`new_page(browser=None, **context_options)` -> a Page in a context of its own.

    `browser` defaults to the camera-less one; pass `camera_browser(png)` for a camera.
    Contexts close after the test; when the test failed, each page is screenshotted first.
    """
    contexts = []

    def make(on_browser=None, **context_options):
        context = (on_browser or browser).new_context(**context_options)
        contexts.append(context)
        return context.new_page()

    yield make
    call = getattr(request.node, "report_call", None)
    failed = call is not None and call.failed
    for number, context in enumerate(contexts):
        for index, page in enumerate(context.pages):
            if failed and not page.is_closed():
                name = f"{_slug(request.node.name)}--FAILED-{number}-{index}.png"
                page.screenshot(path=str(artifacts_dir / name), full_page=True)
            # A route handler still busy with a request (the live socket's long polling)
            # would raise into the next test once the context is gone.
            if not page.is_closed():
                page.unroute_all(behavior="ignoreErrors")
        context.unroute_all(behavior="ignoreErrors")
        context.close()


@pytest.fixture
def watch_requests() -> Callable:
    """`watch_requests(page, origin)` -> a list that fills with every URL the page requests.

    Requests to any other origin are also aborted, so a test that forgets to assert still
    sends nothing off the machine. WebSocket URLs are recorded too (Socket.IO).
    """

    def watch(page, origin: str) -> list[str]:
        seen: list[str] = []
        page.on("request", lambda req: seen.append(req.url))
        page.on("websocket", lambda ws: seen.append(ws.url))
        page.context.route(
            lambda url: not _same_origin(url, origin), lambda route: route.abort("blockedbyclient")
        )
        return seen

    return watch


def _same_origin(url: str, origin: str) -> bool:
    """Same host and port as `origin`; ws(s) counts as http(s) (Socket.IO's WebSocket)."""
    if url.startswith(("data:", "blob:")):
        return True
    target, home = urlsplit(url), urlsplit(origin)
    schemes = {home.scheme, home.scheme.replace("http", "ws")}
    return target.scheme in schemes and (target.hostname, target.port) == (home.hostname, home.port)


@pytest.fixture
def live_server_factory(tmp_path) -> Iterator[Callable]:
    """`live_server_factory(app=None, **config)` -> a started LiveServer, stopped after.

    Without `app`, builds one with create_app on tmp_path/k.db plus `config`, on the
    tests' pinned clock (09:20 on the event day) unless `config` brings a CLOCK.
    """
    servers: list[LiveServer] = []

    def start(app=None, **config) -> LiveServer:
        if app is None:
            app = create_app(
                {
                    "DATABASE": str(tmp_path / "k.db"),
                    "SECRET_KEY": "test",
                    "TESTING": True,
                    "CLOCK": pinned(),
                    **config,
                }
            )
        server = LiveServer(app).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(live_server_factory) -> LiveServer:
    """The kiosk app on a fresh database at `live_server.url`; the app is `.app`."""
    return live_server_factory()


@pytest.fixture
def desk(live_server):
    """A reception desk on the live server: the sample imported, one reception station
    (`Desk` in tests/browser/test_reception.py opens it on a page)."""
    from kiosk.checkin import auth
    from kiosk.registrations.importer import import_registrations
    from kiosk.store import connect
    from tests.browser.test_reception import Desk
    from tests.conftest import SAMPLE

    event = live_server.app.extensions["kiosk.event"]
    with connect(live_server.app.config["DATABASE"]) as db:
        import_registrations(db, event, SAMPLE.read_bytes(), SAMPLE.name)
        _station, token = auth.create_station(db, event, "reception", "Onthaal 1")
    return Desk(live_server, event, token)
