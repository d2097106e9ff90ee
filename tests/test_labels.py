"""Label printers: each label format rendered, then read back the way the printer would.

The Brother QL raster goes through brother_ql's own analyser (the decoder behind
`brother_ql analyse`) and the QR code is found by zxing-cpp in the bitmap it decodes; the
ZPL is parsed command by command and its QR field must hold the badge code.
"""

from __future__ import annotations

import pytest

from kiosk.printing import printers
from kiosk.printing.badge import render_canvas
from kiosk.printing.printers import brother, zpl
from kiosk.printing.template import TemplateError, _size, load_template
from tests.badge_fixtures import decode, overflows, person
from tests.label_checks import analyse_raster, fields, zpl_labels

LONG = dict(first_name="Marie-Françoise", last_name="Van den Broeck-Verstraeten",
            bestuur="Puurs-Sint-Amands", function="Beleidsmedewerker ruimtelijke ordening "
            "en woonbeleid", badge_code="7KQ2M4XPA9Z3B6HC4", diets=["vegan"])


@pytest.fixture
def face(event):
    return person(**LONG, sessions={"voormiddag": "omgeving-wonen", "namiddag": "smart-region"})


@pytest.mark.parametrize("label, dots", [("62x29", (696, 271)), ("62x100", (696, 1109)),
                                          ("62", (696, 1181))])  # printable dots
def test_brother_raster_decodes_in_brother_qls_analyser_and_its_qr_scans(event, face, tmp_path,
                                                                       label, dots):
    """The raster for each DK label: the analyser finds one page of exactly the label's
    printable dots (62 mm endless: cut at the badge's 100 mm), the media it says, and the
    badge code in the QR code of that bitmap, also at half the printer's resolution."""
    settings = {"address": "tcp://127.0.0.1:9100", "model": "QL-820NWB", "label": label}
    data = printers.render("brother_ql", settings, face, event)
    pages, reader = analyse_raster(data, tmp_path)
    assert len(pages) == 1
    (page,) = pages
    # 720 dots: the print head's full width (the 696 printable ones and the margin);
    # as many raster lines as the label's printable length
    assert page.size == (720, dots[1]) and reader.raster_no == dots[1]
    assert reader.mwidth == 62
    assert decode(page) == ["7KQ2M4XPA9Z3B6HC4"]
    assert decode(page.resize((page.width // 2, page.height // 2))) == ["7KQ2M4XPA9Z3B6HC4"]


def test_brother_label_is_the_badge_trimmed_never_scaled(event, face):
    """The label image is the badge drawn at 300 dpi with its unprintable edge trimmed: a
    QR module is a whole number of dots, the same as on the badge itself."""
    image = brother.label_image(brother.validate({"address": "tcp://127.0.0.1",
                                                  "label": "62x29"}), face, event)
    assert image.size == (696, 271)
    assert decode(image) == ["7KQ2M4XPA9Z3B6HC4"]


@pytest.mark.parametrize("size", ["label62x100", "label62x29"])
def test_label_sizes_keep_long_names_inside_their_regions(event, face, size):
    """A long Flemish name, bestuur and function fit their regions on both labels
    (shrunk, wrapped, never drawn outside), and the QR code scans at 300 and 203 dpi."""
    canvas = render_canvas(face, event, size=size, dpi=300, trace=True)
    assert overflows(canvas) == []
    assert decode(canvas.image) == ["7KQ2M4XPA9Z3B6HC4"]
    low = render_canvas(face, event, size=size, dpi=203).image
    assert decode(low) == ["7KQ2M4XPA9Z3B6HC4"]


def test_the_name_strip_shows_name_bestuur_and_qr_and_nothing_else(event, face):
    """62x29 is a name strip: name, bestuur and function, and the QR code; no header,
    no sessions, no code in print."""
    canvas = render_canvas(face, event, size="label62x29", dpi=300, trace=True)
    assert {p.region for p in canvas.placed} == {"text"}
    assert "Marie-Françoise" in [p.text for p in canvas.placed]


@pytest.mark.parametrize("layout, width, length", [("label62x100", 496, 799),
                                                    ("label62x29", 496, 232)])
def test_zpl_label_parses_and_its_qr_field_holds_the_badge_code(event, face, layout, width,
                                                                length):
    """One ^XA…^XZ label in UTF-8 (^CI28) of 62 mm at 203 dpi; one QR field (^BQ, model 2)
    whose data is error correction Q, automatic mode, and exactly the badge code; the
    name and bestuur as field text."""
    text = printers.render("zpl", {"address": "tcp://127.0.0.1", "layout": layout}, face,
                           event).decode("utf-8")
    (label,) = zpl_labels(text)
    commands = dict(label)
    assert commands["CI"] == "28"
    assert commands["PW"] == str(width) and commands["LL"] == str(length)
    found = fields(label)
    (qr,) = [f for f in found if "BQ" in f]
    assert qr["BQ"].startswith("N,2,")
    assert qr["text"] == "QA,7KQ2M4XPA9Z3B6HC4"
    texts = [f["text"] for f in found if "BQ" not in f]
    assert "Marie-Françoise" in texts and "Puurs-Sint-Amands" in texts
    assert all("FB" in f for f in found if "BQ" not in f)  # every text in a field block


def test_zpl_markup_in_a_name_stays_text(event):
    """A name with ZPL's own characters (^XZ, ~JR, _) and control characters cannot end the
    label or smuggle in a command: still one label, the name reads back as typed."""
    sneaky = person(first_name="An^XZ~JR", last_name="De_Smet\x07<b>",
                    badge_code="7KQ2M4XPA9Z3B6HC4")
    text = zpl.render_zpl(sneaky, event, "label62x29", 300)
    assert text.count("^XA") == 1 and text.count("^XZ") == 1 and "~JR" not in text
    (label,) = zpl_labels(text)
    texts = [f["text"] for f in fields(label)]
    assert "An^XZ~JR" in texts and "De_Smet<b>" in texts
    assert dict(label)["PW"] == "732"  # 62 mm at 300 dpi


def test_printer_settings_are_checked_with_a_dutch_reason():
    """Unknown options, a malformed address, a label size the layout does not fit: refused
    before anything is stored, saying what is wrong."""
    with pytest.raises(printers.PrinterSettingsError, match="onbekende instelling"):
        printers.validate("cups", {"queue": "A6", "colour": "red"})
    with pytest.raises(printers.PrinterSettingsError, match="queue"):
        printers.validate("cups", {})
    with pytest.raises(printers.PrinterSettingsError, match="address"):
        printers.validate("brother_ql", {"address": "192.168.1.40; rm -rf /"})
    with pytest.raises(printers.PrinterSettingsError, match="past niet"):
        printers.validate("brother_ql", {"address": "tcp://printer", "label": "62x29",
                                         "layout": "label62x100"})
    with pytest.raises(printers.PrinterSettingsError, match="soort printer"):
        printers.validate("dymo", {})
    assert printers.validate("zpl", {"address": "file:///dev/usb/lp0"})["dpi"] == 203


def test_a_size_without_text_or_qr_is_refused_but_other_parts_are_optional():
    """The template may leave parts out of a size (a strip has no header); never the name
    or the QR code."""
    base = load_template().sizes["label62x29"]
    table = {"width": 62, "height": 29, "type": {k: list(v) for k, v in base.type.items()},
             "regions": {"text": [3, 3, 37, 22]}}
    with pytest.raises(TemplateError, match="regions.qr"):
        _size("strip", table)
    table["regions"]["qr"] = [40, 3, 20, 22]
    assert set(_size("strip", table).regions) == {"text", "qr"}


@pytest.mark.parametrize("size", ["a6", "cr80", "label62x100"])
def test_the_same_badge_drawn_twice_is_the_same_pixels(event, face, size):
    """The first badge of a run draws the header, later ones paste a copy of it: both must
    give the same image (a label printer's raster is compared byte for byte)."""
    from PIL import ImageChops

    from kiosk.printing.badge import render_badge

    fresh = load_template.__wrapped__()  # its own cache: the first badge really draws
    first, second = (render_badge(face, event, size=size, dpi=150, template=fresh)
                     for _ in range(2))
    assert ImageChops.difference(first, second).getbbox() is None
