"""The security headers (issue 11, D7): a CSP without inline script or style, a Secure
session cookie and HSTS over HTTPS, and no-store where a pairing token shows."""

from __future__ import annotations

import re

HTTPS = {"base_url": "https://kiosk.local"}


def test_a_pairing_over_https_sets_a_secure_cookie_and_hsts(client, loaded, station_token):
    token = station_token("reception")
    response = client.get(f"/pair/{token}", **HTTPS)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.headers["Cache-Control"] == "no-store"


def test_plain_http_on_localhost_keeps_a_cookie_that_works_there(client, loaded, station_token):
    response = client.get(f"/pair/{station_token('reception')}")
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def test_the_policy_forbids_inline_script_and_lets_only_the_pages_own_style_in(
        client, loaded, paired):
    page = paired("reception").get("/reception")
    policy = page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    html = page.get_data(as_text=True)
    assert f'<style nonce="{nonce}">' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline <script>
    assert not re.search(r'\sstyle="|\son[a-z]+="', html)  # no style or handler attributes
    other = paired("reception").get("/reception").headers["Content-Security-Policy"]
    assert other != policy  # a new nonce with every page


def test_the_station_page_with_a_new_token_is_not_stored(paired):
    organiser = paired("organiser")
    page = organiser.get("/organiser/stations/")
    assert page.headers["Cache-Control"] == "no-store"
    made = organiser.post("/api/stations", json={"role": "caterer", "name": "Keuken"})
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching(paired):
    response = paired("caterer").get("/static/css/kiosk.css")
    response.close()
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_real_server_under_self_signed_sends_hsts_and_a_secure_cookie(tmp_path, db_path,
                                                                           loaded, event):
    import requests

    from kiosk.checkin import auth
    from tests.serving import ServerProcess

    _station, token = auth.create_station(loaded, event, "reception", "desk")
    instance = tmp_path / "instance"
    server = ServerProcess(db_path, "--self-signed", instance=instance)
    try:
        cert = str(instance / "tls-cert.pem")
        server.wait_ready(scheme="https", verify=cert)
        paired = requests.get(f"https://127.0.0.1:{server.port}/pair/{token}", verify=cert,
                              allow_redirects=False, timeout=5)
    finally:
        server.stop()
    assert paired.status_code == 302 and paired.headers["Cache-Control"] == "no-store"
    assert "Secure" in paired.headers["Set-Cookie"]
    assert paired.headers["Strict-Transport-Security"] == "max-age=31536000"
