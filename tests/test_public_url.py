"""The public address pairing QR codes hold: `serve --public-url`, the LAN address found by
itself, and a loud warning when it would be this computer only (kiosk.web.publicurl)."""

from __future__ import annotations

import pytest

from kiosk.web import publicurl
from tests.serving import ServerProcess


@pytest.mark.parametrize(("typed", "kept"), [
    ("https://kiosk.strategio.be:8443/", "https://kiosk.strategio.be:8443"),
    ("192.168.1.20:5000", "http://192.168.1.20:5000"),
    ("  HTTP://Kiosk.local  ", "http://kiosk.local"),
    ("https://[fd00::5]:8443", "https://[fd00::5]:8443"),
])
def test_an_address_is_kept_in_one_shape(typed, kept):
    assert publicurl.normalise(typed) == kept


@pytest.mark.parametrize("bad", ["", "ftp://kiosk", "https://kiosk/pair", "https://kiosk?x=1",
                                 "https://u:p@kiosk", "https://kiosk:70000", "https://"])
def test_an_unusable_address_is_refused_in_words(bad):
    with pytest.raises(publicurl.PublicUrlError, match=r"\w+ \w+"):
        publicurl.normalise(bad)


@pytest.mark.parametrize(("host", "local"), [
    ("localhost", True), ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True),
    ("[::1]", True), ("0.0.0.0", True), ("192.168.1.20", False), ("kiosk.local", False)])
def test_what_counts_as_this_computer_only(host, local):
    assert publicurl.is_local(host) is local


def test_start_up_says_where_the_qr_codes_point(app, monkeypatch):
    monkeypatch.setattr(publicurl, "lan_address", lambda: "192.168.7.31")
    with app.app_context():
        on_lan = publicurl.startup_lines("0.0.0.0", 8443, "https")
        assert on_lan[0].startswith("Koppelcodes wijzen naar https://192.168.7.31:8443")
        assert not any("LET OP" in line for line in on_lan)
        app.config["PUBLIC_URL"] = "https://kiosk.strategio.be"
        given = publicurl.startup_lines("0.0.0.0", 8443, "https")
        assert given == ["Koppelcodes wijzen naar https://kiosk.strategio.be (--public-url)"]


def test_serve_warns_at_start_when_the_qr_codes_would_point_at_this_computer(db_path):
    server = ServerProcess(db_path).wait_ready()  # --host 127.0.0.1, no --public-url
    output = server.stop()
    assert f"Koppelcodes wijzen naar http://127.0.0.1:{server.port}" in output
    assert "LET OP: koppel-QR-codes wijzen naar 127.0.0.1" in output


def test_serve_refuses_a_bad_public_url(runner):
    result = runner.invoke(args=["serve", "--public-url", "ftp://kiosk"])
    assert result.exit_code == 2 and "--public-url" in result.output


def test_kiosk_public_url_reaches_the_config_and_a_typo_in_it_is_shown_not_fatal(
        monkeypatch, db_path, clock, paired):
    from kiosk import create_app

    monkeypatch.setenv("KIOSK_PUBLIC_URL", "https://kiosk.strategio.be")
    assert create_app({"DATABASE": str(db_path), "SECRET_KEY": "x", "CLOCK": clock}) \
        .config["PUBLIC_URL"] == "https://kiosk.strategio.be"
    organiser = paired("organiser")
    organiser.application.config["PUBLIC_URL"] = "htps:/kiosk"
    page = organiser.get("/organiser/stations/")
    assert page.status_code == 200 and "onbruikbaar" in page.get_data(as_text=True)
