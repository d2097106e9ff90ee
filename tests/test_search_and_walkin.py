"""Finding people by name, and registering walk-ins at the desk."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from kiosk.registrations.search import search
from kiosk.store import attendees


def names(people):
    return [f"{p.first_name} {p.last_name}" for p in people]


def test_search_ignores_accents_and_case_and_takes_parts(loaded):
    assert names(search(loaded, "celik")) == ["Pieter Çelik"]
    assert names(search(loaded, "ZOE jans")) == ["Zoë Janssens"]
    assert "Quinten Van Ransbeeck-De Wachter" in names(search(loaded, "ransbeeck"))


def test_search_forgives_one_typo_per_word(loaded):
    assert "Zoë Janssens" in names(search(loaded, "zoe jansens"))
    assert "Yasmine El Amrani" in names(search(loaded, "yasmien"))


def test_search_lists_nothing_before_two_letters_and_at_most_a_screenful(loaded):
    assert search(loaded, "") == [] and search(loaded, "j") == []
    assert search(loaded, "e") == []
    assert len(search(loaded, "an")) <= 8


def test_exact_matches_come_first(loaded):
    assert names(search(loaded, "hans janssens"))[:2] == ["Hans Janssens"] * 2


def test_search_api_returns_codes_and_check_in_state_but_no_email(desk, loaded):
    zoe = attendees.get_by_email(loaded, "zoe.janssens@putte.be")
    desk("POST", "/api/scans", json={"code": zoe.badge_code})
    body = desk("GET", "/api/attendees?q=zoe").get_json()
    hit = next(r for r in body["results"] if r["last_name"] == "Janssens")
    assert hit["code"] == zoe.badge_code and hit["checked_in_at"]
    assert "@" not in str(body)


def test_a_walk_in_is_registered_checked_in_and_gets_a_badge(desk, loaded):
    response = desk("POST", "/api/walk-ins", json={
        "first_name": "Mira", "last_name": "Van den Broeck", "organisation": "nijlen",
        "function": "Beleidsadviseur", "sessions": {"voormiddag": "economie"},
        "meals": {"lunch": True, "tapas": False}, "diet": "veganistisch"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["result"] == "checked_in" and body["counts"]["expected"] == 49
    person = attendees.get_by_code(loaded, body["attendee"]["code"])
    assert person.status == "walk-in" and person.organisation == "Nijlen"
    assert person.diets == ["vegan"] and person.meals == {"lunch": True, "tapas": False}
    png = desk("GET", body["badge"]["png"])
    assert png.status_code == 200 and png.mimetype == "image/png"
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))
    assert [d.text for d in decoded] == [person.badge_code]
    pdf = desk("GET", body["badge"]["pdf"])
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")


@pytest.mark.parametrize(("form", "field"), [
    ({"last_name": ""}, "first_name"),
    ({"first_name": "A", "email": "geen-adres"}, "email"),
    ({"first_name": "A", "email": "zoe.janssens@putte.be"}, "email"),
    ({"first_name": "A", "sessions": {"voormiddag": "ruimtevaart"}}, "sessions"),
    ({"first_name": "x" * 500}, "first_name"),
    ({"first_name": ["lijst"]}, "first_name"),
])
def test_a_bad_walk_in_form_names_the_field_and_adds_nobody(desk, loaded, form, field):
    response = desk("POST", "/api/walk-ins", json=form)
    assert response.status_code == 400 and response.get_json()["field"] == field
    assert len(attendees.all_attendees(loaded)) == 48


def test_a_caterer_may_not_search_or_register(client, loaded, station_token):
    headers = {"Authorization": f"Bearer {station_token('caterer')}"}
    assert client.get("/api/attendees?q=zoe", headers=headers).status_code == 403
    assert client.post("/api/walk-ins", json={"first_name": "A"},
                       headers=headers).status_code == 403


def test_an_organiser_without_a_place_registers_walk_ins_at_the_reception(client, loaded,
                                                                          station_token):
    headers = {"Authorization": f"Bearer {station_token('organiser')}"}
    body = client.post("/api/walk-ins", json={"first_name": "Els"}, headers=headers).get_json()
    assert body["result"] == "checked_in" and body["location"] == "onthaal"
    assert body["badge"]["pdf"] == f"/api/attendees/{body['attendee']['id']}/badge.pdf"


def test_a_badge_printed_at_the_desk_is_not_printed_again_with_only_changed(desk, loaded):
    body = desk("POST", "/api/walk-ins", json={"first_name": "Mira"}).get_json()
    assert desk("GET", body["badge"]["pdf"]).status_code == 200
    printed = body["badge"]["pdf"].replace("/badge.pdf", "/printed")
    assert desk("POST", printed, json={}).status_code == 200  # the desk's "print" tap
    assert body["attendee"]["code"] not in {a.badge_code for a in
                                            attendees.printable(loaded, only_changed=True)}
