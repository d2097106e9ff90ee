"""The demo data and the status page that shows it."""

from __future__ import annotations

from collections import Counter

from kiosk.registrations.demo import demo_csv
from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees


def test_the_demo_is_about_240_people_over_all_besturen_and_themes(db, event):
    plan = import_registrations(db, event, demo_csv(event), "demo.csv")
    assert not plan.rejected and not plan.warnings
    people = attendees.all_attendees(db)
    assert 220 <= len(people) <= 260
    assert {a.bestuur for a in people} == {b.name for b in event.besturen}
    assert {a.sessions["voormiddag"] for a in people} == {t.id for t in event.themes}
    diets = Counter(d for a in people for d in a.diets)
    assert set(diets) >= {"vegetarian", "vegan", "gluten-free", "halal", "allergy"}


def test_demo_command_loads_once(runner, db):
    assert runner.invoke(args=["demo", "--no-serve"]).exit_code == 0
    count = len(attendees.all_attendees(db))
    assert runner.invoke(args=["demo", "--no-serve"]).exit_code == 0
    assert len(attendees.all_attendees(db)) == count > 200


def test_the_status_page_shows_counts_per_bestuur_and_theme(paired, runner):
    runner.invoke(args=["demo", "--no-serve"])
    page = paired("organiser").get("/overzicht").get_data(as_text=True)
    assert "STRATEGIO" in page and "Per bestuur" in page
    assert "Sint-Katelijne-Waver" in page and "Omgeving en Wonen" in page


def test_names_with_markup_are_escaped_on_the_status_page(paired, db, event):
    csv_text = ("Voornaam;Familienaam;E-mailadres;Bestuur\r\n"
                "Jan;Peeters;jan@lier.be;<b>Lier & co</b>\r\n")
    import_registrations(db, event, csv_text.encode(), "x.csv")
    page = paired("organiser").get("/overzicht").get_data(as_text=True)
    assert "<b>Lier" not in page and "&lt;b&gt;Lier &amp; co&lt;/b&gt;" in page
