"""Shared fixtures: a fresh app on a temporary SQLite file for every test.

Every app and every scan in the tests runs on a pinned clock (`clock`: 09:20 on the event
day, standing still), never on the wall clock: the suite must pass at any hour, and CI
runs it at night. A test that is about another moment of the day makes its own
`EventClock.frozen(...)`; one that is about the real clock says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import create_app
from kiosk.clock import EventClock
from kiosk.event import load_event
from kiosk.store import connect
from tests.clocks import DAY, MORNING, pinned

# A copy of ../shared/samples/inschrijvingen-strategio.csv: the export an organiser's
# invitation form produces (semicolons, UTF-8 with BOM, CRLF).
SAMPLE = Path(__file__).parent / "data" / "inschrijvingen-strategio.csv"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kiosk.db"


@pytest.fixture
def clock() -> EventClock:
    """The tests' clock: 09:20 on the event day, standing still."""
    return pinned()


@pytest.fixture
def app(db_path: Path, clock: EventClock):
    return create_app({"DATABASE": str(db_path), "SECRET_KEY": "test-secret", "TESTING": True,
                       "CLOCK": clock})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def event():
    return load_event()


@pytest.fixture
def db(db_path: Path):
    database = connect(db_path)
    yield database
    database.close()


@pytest.fixture
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture
def station_token(app):
    """make a station and return its token: station_token("reception", location=None)."""
    from kiosk.checkin import auth
    def make(role: str, location: str | None = None, name: str | None = None) -> str:
        db = connect(app.config["DATABASE"])
        try:
            _station, token = auth.create_station(db, app.extensions["kiosk.event"], role,
                                                  name or f"{role} test", location)
        finally:
            db.close()
        return token
    return make


@pytest.fixture
def paired(app, station_token):
    """A test client paired (through /pair/TOKEN) as a station of the given role."""
    def make(role: str, location: str | None = None):
        browser = app.test_client()
        response = browser.get(f"/pair/{station_token(role, location)}")
        assert response.status_code == 302
        return browser
    return make


@pytest.fixture
def loaded(db, event, sample_bytes):
    """The shared sample imported: 48 registrations."""
    from kiosk.registrations.importer import import_registrations

    import_registrations(db, event, sample_bytes, "inschrijvingen.csv")
    return db


@pytest.fixture
def server(db_path, loaded):
    """The production server on 127.0.0.1 serving the loaded sample; stopped afterwards."""
    from tests.serving import ServerProcess

    process = ServerProcess(db_path, "--clock", f"{DAY}T{MORNING}").wait_ready()
    yield process
    process.stop()


@pytest.fixture
def desk(client, loaded, station_token):
    """A reception station's calls to the API: desk("POST", "/api/scans", json=…)."""
    token = station_token("reception")
    headers = {"Authorization": f"Bearer {token}"}

    def call(method, path, **kwargs):
        return client.open(path, method=method, headers=headers, **kwargs)
    return call
