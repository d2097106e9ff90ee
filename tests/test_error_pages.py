"""Error pages: Dutch (English with the switch), in the house style, saying what to do next;
the JSON API keeps JSON error bodies."""

from __future__ import annotations

import pytest
from flask import abort

from kiosk import create_app


@pytest.fixture
def strict_app(db_path, clock):
    """The real app plus a few routes that fail on purpose; exceptions become 500 pages
    (as in production) instead of reaching the test."""
    app = create_app({"DATABASE": str(db_path), "SECRET_KEY": "test-secret", "TESTING": True,
                      "CLOCK": clock, "PROPAGATE_EXCEPTIONS": False})
    app.add_url_rule("/test/400", "bad", lambda: abort(400))
    app.add_url_rule("/test/401", "unauthorised", lambda: abort(401))
    app.add_url_rule("/test/403", "forbidden", lambda: abort(403))
    app.add_url_rule("/test/500", "crash", lambda: 1 / 0)
    app.add_url_rule("/api/test/500", "api_crash", lambda: 1 / 0)
    return app


def text_of(response) -> str:
    return response.get_data(as_text=True)


def assert_house_page(response, status: int) -> str:
    """A page of ours: the status, base.html's stylesheet, no Werkzeug English, the switch."""
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = text_of(response)
    assert "css/kiosk.css" in page and 'class="error-page"' in page
    assert f'data-code="{status}"' in page
    for english in ("Not Found", "Forbidden", "Unauthorized", "Bad Request",
                    "Internal Server Error", "The requested URL"):
        assert english not in page
    assert '?lang=en"' in page and ">English<" in page
    return page


@pytest.mark.parametrize(("url", "status", "words"), [
    ("/test/400", 400, "probeer het nog eens"),
    ("/test/401", 401, "koppelcode"),
    ("/test/403", 403, "mag deze pagina niet openen"),
    ("/bestaat-niet", 404, "startpagina"),
    ("/test/500", 500, "Meld het aan de organisator"),
])
def test_every_error_is_a_dutch_page_that_says_what_to_do(strict_app, url, status, words):
    page = assert_house_page(strict_app.test_client().get(url), status)
    assert words in page
    assert 'lang="nl"' in page


def test_the_english_switch(strict_app):
    browser = strict_app.test_client()
    page = text_of(browser.get("/bestaat-niet?lang=en"))
    assert "This page does not exist" in page and ">Nederlands<" in page
    assert 'lang="en"' in page
    assert "Something went wrong on the server" in text_of(browser.get("/test/500"))  # kept


def test_a_bad_pairing_link_says_to_ask_for_a_new_code(client):
    page = assert_house_page(client.get("/pair/not-a-token"), 404)
    assert "Vraag de organisator om een nieuwe koppelcode" in page


def test_a_caterer_opening_the_reception_is_told_which_page_is_theirs(paired):
    caterer = paired("caterer")
    page = assert_house_page(caterer.get("/reception"), 403)
    assert "Deze pagina is voor het onthaal" in page and "catering" in page
    assert 'href="/caterer"' in page and "Naar het keukenscherm" in page
    console = assert_house_page(caterer.get("/organiser/registrations"), 403)
    assert "de organisator" in console and 'href="/caterer"' in console


def test_a_form_from_another_site_is_refused_in_words(paired):
    organiser = paired("organiser")
    response = organiser.post("/organiser/stations/", data={"name": "X", "role": "organiser"},
                              headers={"Origin": "https://evil.example"})
    assert "andere website" in assert_house_page(response, 403)


@pytest.mark.parametrize(("method", "url", "status", "error"), [
    ("get", "/api/bestaat-niet", 404, "not_found"),
    ("get", "/api/scans", 405, "method_not_allowed"),
    ("get", "/api/test/500", 500, "internal_server_error"),
])
def test_the_json_api_keeps_json_errors(strict_app, method, url, status, error):
    response = getattr(strict_app.test_client(), method)(url)
    assert response.status_code == status and response.is_json
    assert response.get_json()["error"] == error and response.get_json()["message"]


def test_api_routes_with_their_own_errors_still_answer_json(client):
    response = client.post("/api/scans", json={"code": "X"})
    assert response.status_code == 401 and response.get_json()["error"] == "unauthorised"


def test_the_console_has_words_for_every_status_too(paired):
    organiser = paired("organiser")
    response = organiser.get("/organiser/registrations/1/cancel")  # a GET on a POST-only form
    assert "Dit adres werkt niet op deze manier" in assert_house_page(response, 405)
