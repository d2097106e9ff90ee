"""One badge: the QR code scans (also at 150 dpi), long names fit, markup is just text,
the theme colours survive grey-scale, and the template is data with clear errors."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from kiosk.printing.badge import badge_png, qr_matrix, render_badge, render_canvas
from kiosk.printing.template import DEFAULT_TEMPLATE, TemplateError, load_template
from kiosk.registrations import codes
from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees as attendee_store
from tests.badge_fixtures import at_dpi, decode, faces, overflows, person, texts
from tests.conftest import SAMPLE

SIZES = ("a6", "cr80")


@pytest.fixture
def sample(db, event) -> list:
    import_registrations(db, event, SAMPLE.read_bytes(), SAMPLE.name)
    return faces(attendee_store.printable(db))


def test_every_sample_badge_decodes_at_300_and_150_dpi_to_its_attendee(db, event, sample):
    assert len(sample) == 48
    for badge in sample:
        image = render_badge(badge, event, size="cr80", dpi=300)  # the smallest QR code
        for seen in (image, at_dpi(image, 300, 150)):
            assert decode(seen) == [badge.code]
        assert attendee_store.get_by_code(db, badge.code).id == badge.key


def test_a6_badges_decode_at_150_dpi_too(event, sample):
    for badge in sample[:6]:
        image = render_badge(badge, event, size="a6", dpi=300)
        assert decode(at_dpi(image, 300, 150)) == [badge.code]


def test_the_qr_code_is_small_and_robust():
    template = load_template()
    matrix = qr_matrix(codes.new_code(), template)
    # level Q (25% restorable: survives a crease), and 17 base-32 characters still fit
    # version 2 (25 modules) in alphanumeric mode, plus the 4-module quiet zone each side
    assert template.qr_error_correction == "Q"
    assert len(matrix) == 25 + 2 * 4
    assert not any(matrix[0]) and not any(row[0] for row in matrix)


def test_the_longest_name_in_the_sample_fits_without_being_cut(event, sample):
    longest = max(sample, key=lambda b: len(f"{b.first_name} {b.last_name}"))
    for size in SIZES:
        canvas = render_canvas(longest, event, size=size, trace=True)
        assert overflows(canvas) == []
        drawn = " ".join(texts(canvas, "text"))
        assert "…" not in drawn
        for word in f"{longest.first_name} {longest.last_name}".split():
            assert word in drawn


@pytest.mark.parametrize("size", SIZES)
def test_a_very_long_flemish_name_shrinks_then_wraps_and_never_overflows(event, size):
    attendee = person(first_name="Jean-Baptiste", last_name="Van Ransbeeck-De Wachter-"
                      "Vanden Bossche", function="Coördinator strategische planning en "
                      "intergemeentelijke samenwerking", bestuur="Puurs-Sint-Amands",
                      sessions={"voormiddag": "onderwijs", "namiddag": "omgeving-wonen"})
    canvas = render_canvas(attendee, event, size=size, trace=True)
    assert overflows(canvas) == []
    drawn = texts(canvas, "text")
    assert "Van Ransbeeck-De" in drawn[1] and "Vanden Bossche" in drawn[2]  # two lines
    assert "…" not in " ".join(drawn[:3])


def test_a_name_that_fits_stays_on_one_line_at_full_size(event):
    small = render_canvas(person(first_name="An", last_name="Claes"), event, trace=True)
    large = render_canvas(person(first_name="An", last_name="Van Ransbeeck-De Wachter"), event,
                          trace=True)
    assert texts(small, "text")[:2] == ["An", "Claes"]
    first_small = small.placed[[p.text for p in small.placed].index("An")]
    first_large = large.placed[[p.text for p in large.placed].index("An")]
    assert first_small.box[3] - first_small.box[1] == first_large.box[3] - first_large.box[1]


def test_markup_in_a_name_is_drawn_as_literal_text(event):
    attendee = person(first_name="<script>alert(1)</script>", last_name="O'Brien & \"Zoë\"")
    canvas = render_canvas(attendee, event, trace=True)
    drawn = " ".join(texts(canvas, "text"))
    assert "<script>" in drawn and "O'Brien & \"Zoë\"" in drawn
    x0, y0, x1, y1 = canvas.region("text")
    ink = canvas.image.crop((x0, y0, x1, y1)).convert("L").getextrema()
    assert ink[0] < 80  # dark glyphs were really drawn


def test_dutch_and_french_letters_are_in_the_shipped_fonts():
    from fontTools.ttLib import TTFont

    for path in load_template().fonts.values():
        assert str(path).startswith(str(DEFAULT_TEMPLATE.parent))  # shipped, not system
        cmap = TTFont(path).getBestCmap()
        assert all(ord(ch) in cmap for ch in "çüëéèêïöàÇÜËÉ✱—…·")
    assert (DEFAULT_TEMPLATE.parent / "fonts" / "LICENSE-DejaVu.txt").is_file()


def test_the_band_shows_the_morning_theme_number_and_name(event):
    attendee = person(sessions={"voormiddag": "duurzaamheid", "namiddag": "economie"})
    canvas = render_canvas(attendee, event, trace=True)
    assert texts(canvas, "band") == ["5", "Duurzaamheid"]
    sessions = texts(canvas, "sessions")
    assert "Duurzaamheid" in sessions and "Economie" in sessions
    assert "Zaal Da Vinci" in " ".join(sessions) and "Zaal Vesalius" in " ".join(sessions)
    card = render_canvas(attendee, event, size="cr80", trace=True)
    assert texts(card, "band") == ["5"]  # a narrow band: the number only


def test_the_eight_theme_colours_stay_apart_in_grey_scale():
    palette = load_template().palette
    assert len(palette) >= 8
    for i, a in enumerate(palette[:8]):
        for b in palette[i + 1:8]:
            assert a.colour != b.colour
            if abs(_grey(a.colour) - _grey(b.colour)) < 40:  # alike on a grey-scale print
                assert a.pattern != b.pattern, (a, b)


def _grey(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_a_dietary_need_is_a_discreet_mark_without_details(event):
    needs = person(diet="Notenallergie (anafylaxie)", diets=["allergy"])
    canvas = render_canvas(needs, event, trace=True)
    assert texts(canvas, "diet") == ["✱"]
    assert not any("allerg" in p.text.lower() for p in canvas.placed)
    plain = render_canvas(person(), event, trace=True)
    assert texts(plain, "diet") == []


def test_no_session_chosen_gives_a_neutral_band_and_a_dash(event):
    canvas = render_canvas(person(first_name="Walk", last_name="In"), event, trace=True)
    assert texts(canvas, "band") == []
    assert texts(canvas, "sessions").count("—") == 2


def test_badge_png_is_a_300_dpi_png_of_the_badge_size(event):
    data = badge_png(person(first_name="Zoë"), event)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1240, 1748)  # 105 x 148 mm at 300 dpi
    assert round(image.info["dpi"][0]) == 300
    small = Image.open(io.BytesIO(badge_png(person(), event, dpi=150, size="cr80")))
    assert small.size == (506, 319)
    assert decode(small) == ["0123456789ABCDEF8"]


def test_a_badge_without_a_code_is_refused(event):
    with pytest.raises(ValueError, match="no badge code"):
        render_badge(person(badge_code=""), event)


def test_a_missing_font_is_a_clear_error(tmp_path: Path):
    shutil.copytree(DEFAULT_TEMPLATE.parent, tmp_path, dirs_exist_ok=True)
    copy = tmp_path / "template.toml"
    copy.write_text(DEFAULT_TEMPLATE.read_text(encoding="utf-8").replace(
        "fonts/DejaVuSans-Bold.ttf", "fonts/Verdwenen.ttf"), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"fonts\.bold: font file .*Verdwenen\.ttf not fo"):
        load_template(copy)


def test_the_template_is_data_an_organiser_can_change(tmp_path: Path, event):
    folder = tmp_path / "look"
    shutil.copytree(DEFAULT_TEMPLATE.parent, folder)
    path = folder / "template.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('colour = "#E69F00"', 'colour = "#123456"')
                    .replace("# logo = ", "logo = ").replace("logo-igemo.png", "logo.png"),
                    encoding="utf-8")
    Image.new("RGBA", (200, 80), "#ff0000").save(folder / "logo.png")
    template = load_template(path)
    assert template.palette[0].colour == "#123456" and template.logo == folder / "logo.png"
    image = render_badge(person(sessions={"voormiddag": "vrije-tijd"}), event,
                         template=template, dpi=100)
    colours = {colour for _, colour in image.getcolors(1 << 16)}
    assert (0x12, 0x34, 0x56) in colours and (255, 0, 0) in colours


def test_a_malformed_template_names_the_key(tmp_path: Path):
    copy = tmp_path / "template.toml"
    copy.write_text(DEFAULT_TEMPLATE.read_text(encoding="utf-8").replace(
        "qr = [63, 103, 35, 35]", "qr = [63, 103]"), encoding="utf-8")
    with pytest.raises(TemplateError, match=r"sizes\.a6\.regions\.qr: expected"):
        load_template(copy)


def test_the_fast_mask_choice_is_the_one_qrcode_makes():
    import qrcode

    from kiosk.printing.qr import LEVELS, BadgeQRCode

    for i in range(120):  # badge codes, and longer texts up to version 8 (version bits)
        text = codes.new_code() if i % 6 else f"HTTPS://EXAMPLE.BE/{i}" * (1 + i % 5)
        level = "LMQH"[i % 4]
        ours, theirs = (cls(error_correction=LEVELS[level]) for cls in (BadgeQRCode,
                                                                         qrcode.QRCode))
        for qr in (ours, theirs):
            qr.add_data(text)
            qr.make(fit=True)
        assert ours.mask_pattern is None and ours.get_matrix() == theirs.get_matrix(), text


def test_text_fitting_shrinks_then_wraps_then_ellipsizes():
    from kiosk.printing.textfit import fit_lines, text_width

    template = load_template()

    def sized(px):
        return template.font("name", px)

    name = "Van Ransbeeck-De Wachter"
    full = text_width(sized(100), name)
    font, lines = fit_lines(sized, name, 100, 50, full)
    assert (font.size, lines) == (100, [name])
    font, lines = fit_lines(sized, name, 100, 50, full * 3 // 4)
    assert 70 <= font.size < 100 and lines == [name]
    font, lines = fit_lines(sized, name, 100, 50, full * 2 // 5)
    assert lines == ["Van Ransbeeck-", "De Wachter"] and font.size >= 50
    font, lines = fit_lines(sized, "Wolfeschlegelsteinhausenbergerdorff", 100, 50, full // 2)
    assert len(lines) == 2 and lines[0].endswith("-")  # one long word: a hyphen is added
    font, lines = fit_lines(sized, name, 100, 50, full // 10)
    assert font.size == 50 and all(line.endswith("…") for line in lines)
    assert all(text_width(font, line) <= full // 10 for line in lines)


def test_a_copied_template_still_finds_the_bundled_fonts(tmp_path):
    """An organiser copies badges/template.toml elsewhere to change a colour: its font
    paths are relative to the bundled folder, so the bundled fonts are found by name."""
    copy = tmp_path / "mijn-template.toml"
    copy.write_text(DEFAULT_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    template = load_template(copy)
    assert template.fonts["bold"].is_file() and template.fonts["bold"].parent.name == "fonts"
    missing = DEFAULT_TEMPLATE.read_text(encoding="utf-8").replace("DejaVuSans-Bold.ttf",
                                                                  "Comic.ttf")
    (tmp_path / "kapot.toml").write_text(missing, encoding="utf-8")
    with pytest.raises(TemplateError, match=r"fonts\.\w+: font file .*Comic\.ttf"):
        load_template(tmp_path / "kapot.toml")
