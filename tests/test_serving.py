"""`serve`: gunicorn over plain HTTP or HTTPS (tablets need HTTPS for their camera)."""

from __future__ import annotations

import requests

from tests.serving import ServerProcess


def test_serve_answers_over_https_with_a_self_signed_certificate(tmp_path, db_path):
    instance = tmp_path / "instance"
    server = ServerProcess(db_path, "--self-signed", instance=instance)
    try:
        cert = instance / "tls-cert.pem"
        server.wait_ready(scheme="https", verify=str(cert))
        page = requests.get(f"https://127.0.0.1:{server.port}/", verify=str(cert), timeout=5)
        assert page.status_code == 200 and "nog niet gekoppeld" in page.text
        assert (instance / "tls-key.pem").stat().st_mode & 0o077 == 0
    finally:
        server.stop()
    first = cert.read_bytes()
    again = ServerProcess(db_path, "--self-signed", instance=instance)
    try:
        again.wait_ready(scheme="https", verify=str(cert))
    finally:
        again.stop()
    assert cert.read_bytes() == first  # generated once: tablets accept it once


def test_demo_stations_pair_from_the_start_page(runner, app, client):
    from kiosk.commands.serving import ensure_demo_stations
    from kiosk.store import connect

    db = connect(app.config["DATABASE"])
    demo = ensure_demo_stations(db, app.config["SECRET_KEY"])
    assert set(demo) == {"reception", "host", "caterer", "organiser"}
    assert ensure_demo_stations(db, app.config["SECRET_KEY"]) == demo  # stable, not doubled
    assert len(db.execute("SELECT * FROM stations").fetchall()) == 4
    app.config["DEMO_STATIONS"] = demo
    page = client.get("/").get_data(as_text=True)
    assert f"/pair/{demo['reception']['token']}" in page and "Organisator" in page


def test_serve_runs_on_gevent_and_renders_badges_in_a_real_thread(db_path, loaded, event):
    """The production server is gunicorn's gevent worker (kiosk.serving.green): a scan answers, and
    a badge's rendering goes to gevent's thread pool and comes back."""
    from kiosk.checkin import auth
    _station, token = auth.create_station(loaded, event, "reception", "desk 1")
    person = loaded.execute("SELECT id, badge_code FROM attendees LIMIT 1").fetchone()
    server = ServerProcess(db_path).wait_ready()
    try:
        headers = {"Authorization": f"Bearer {token}"}
        scan = requests.post(f"{server.url}/api/scans", json={"code": person[1]},
                             headers=headers, timeout=5)
        assert scan.json()["result"] == "checked_in"
        pdf = requests.get(f"{server.url}/api/attendees/{person[0]}/badge.pdf",
                           headers=headers, timeout=10)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    finally:
        output = server.stop()
    assert "(gevent)" in output
