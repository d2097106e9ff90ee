"""Shared fixtures: a fresh app on a temporary SQLite file for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import create_app
from kiosk.event import load_event
from kiosk.store import connect

# A copy of ../shared/samples/inschrijvingen-strategio.csv: the export an organiser's
# invitation form produces (semicolons, UTF-8 with BOM, CRLF).
SAMPLE = Path(__file__).parent / "data" / "inschrijvingen-strategio.csv"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kiosk.db"


@pytest.fixture
def app(db_path: Path):
    return create_app({"DATABASE": str(db_path), "SECRET_KEY": "test-secret", "TESTING": True})


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
