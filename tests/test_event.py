"""The event file: the bundled STRATEGIO day loads, and mistakes are named precisely."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.event import DEFAULT_EVENT, EventFileError, load_event


def test_the_bundled_event_describes_strategio_2023():
    event = load_event()
    assert event.name == "STRATEGIO"
    assert event.date == dt.date(2023, 5, 23)
    assert len(event.themes) == 8
    assert len([b for b in event.besturen if b.member]) == 12
    assert [s.start for s in event.program][0] == dt.time(9, 0)
    assert {c.id for c in event.catering} == {"lunch", "tapas"}


def test_themes_and_besturen_match_any_case_and_accents():
    event = load_event()
    assert event.match_theme("omgeving EN wonen") == "omgeving-wonen"
    assert event.match_theme("Sociaal Beleid") == "sociaal-beleid"
    assert event.match_bestuur("sint-katelijne-waver") == "Sint-Katelijne-Waver"
    assert event.match_bestuur("Antwerpen") is None


def test_each_theme_has_a_room_per_block_with_a_capacity():
    event = load_event()
    for theme in event.themes:
        for block in event.blocks:
            room = event.room_for(theme.id, block.id)
            assert room.kind == "session" and room.capacity


def test_reception_directs_people_to_the_next_block():
    event = load_event()
    assert event.current_block(dt.time(9, 5)) == "voormiddag"
    assert event.current_block(dt.time(13, 0)) == "namiddag"
    assert event.current_block(dt.time(17, 0)) is None


def _broken(tmp_path, old: str, new: str):
    text = DEFAULT_EVENT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "event.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "message"), [
    ('rooms = { voormiddag = "zaal-1"', 'rooms = { voormiddag = "zaal-99"',
     "themes[0].rooms.voormiddag: no location 'zaal-99'"),
    ('kind = "reception"\nlocation', 'kind = "party"\nlocation',
     "program[0].kind: 'party' is not one of"),
    ('capacity = 45', 'capacity = "veel"', "locations[2].capacity: expected int"),
    ('timezone = "Europe/Brussels"', 'timezone = "Europe/Mechelen"',
     "event.timezone: unknown time zone"),
    ('start = "09:30"', 'start = "half tien"', "program[1].start: expected a time"),
])
def test_an_invalid_event_file_names_the_key_and_the_problem(tmp_path, old, new, message):
    with pytest.raises(EventFileError) as error:
        load_event(_broken(tmp_path, old, new))
    assert message in str(error.value)


def test_a_file_that_is_not_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "event.toml"
    path.write_text("[event\nname = ", encoding="utf-8")
    with pytest.raises(EventFileError, match="not a valid TOML file"):
        load_event(path)
    with pytest.raises(EventFileError, match="not found"):
        load_event(tmp_path / "missing.toml")
