"""Printing: `badges` writes a PNG per attendee and print PDFs of the right page size,
remembers what it printed, reprints only what changed; `checklist` is the paper list."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from PIL import Image

from kiosk.printing.sheets import badge_pdf, badges_pdf, grid_for, print_badges, sorted_for_print
from kiosk.printing.template import load_template
from kiosk.registrations import codes
from kiosk.registrations.importer import import_registrations
from kiosk.store import attendees as attendee_store
from tests.badge_fixtures import at_dpi, decode, faces, page_sizes_mm, pdf_images, pdf_text, person
from tests.clocks import at
from tests.conftest import SAMPLE
from tests.registration_files import sample_rows, to_csv


@pytest.fixture
def imported(runner, db) -> list:
    result = runner.invoke(args=["import", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    return attendee_store.printable(db)


def test_badges_writes_a_png_per_attendee_and_an_a4_pdf_that_all_scan(runner, db, imported,
                                                                      tmp_path):
    result = runner.invoke(args=["badges", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("48 badges (a4, op naam), 5 pagina's")
    assert "Badges" in result.stderr and "Badges" not in result.stdout  # the progress bar
    assert all(a.printed_version == a.badge_version == 1
               for a in attendee_store.all_attendees(db))
    pngs = sorted((tmp_path / "png").glob("*.png"))
    assert len(pngs) == 48
    found = set()
    for png in pngs:
        image = Image.open(png)
        assert round(image.info["dpi"][0]) == 300
        corner = image.convert("RGB").getpixel((image.width - 2, image.height - 2))
        assert corner == (255, 255, 255)  # paper stays white through the print palette
        (code,) = decode(image)
        assert decode(at_dpi(image, 300, 150)) == [code]
        assert attendee_store.get_by_code(db, code) is not None
        found.add(code)
    assert found == {a.badge_code for a in imported}  # stored attendees: badge_code
    pdf = tmp_path / "badges-a4.pdf"
    assert page_sizes_mm(pdf) == [(210.0, 297.0)] * 5  # 10 cards a sheet
    on_first_sheet = [code for image in pdf_images(pdf) for code in decode(image)]
    assert len(on_first_sheet) == 10 and set(on_first_sheet) <= found


@pytest.mark.parametrize("layout, size", [("a6", (105.0, 148.0)), ("cr80", (85.6, 54.0)),
                                          ("a4", (210.0, 297.0))])
def test_page_sizes_follow_the_layout(event, layout, size):
    people = [person(id=i, badge_code=codes.new_code(), first_name=f"P{i}") for i in range(12)]
    pages = page_sizes_mm(badges_pdf(people, event, layout))
    per_page = 10 if layout == "a4" else 1
    assert pages == [size] * -(-12 // per_page)


def test_one_badge_as_pdf_for_a_walk_in(event):
    data = badge_pdf(person(first_name="Walk", last_name="In"), event, "cr80")
    assert data.startswith(b"%PDF") and page_sizes_mm(data) == [(85.6, 54.0)]
    (image,) = pdf_images(data)
    assert decode(image) == ["0123456789ABCDEF8"]


def test_the_a4_grid_leaves_printer_margins_and_room_for_crop_marks():
    template = load_template()
    layout = template.layouts["a4"]
    grid = grid_for(layout, template.sizes[layout.badge])
    assert (grid.columns, grid.rows) == (2, 5)
    x0, y0 = grid.origin
    assert x0 >= layout.margin and y0 >= layout.margin
    xs, ys = grid.cuts()
    assert len(xs) == 3 and len(ys) == 6  # neighbours share a cut when gap is 0


def test_only_changed_after_a_name_change_yields_exactly_that_badge(runner, db, imported,
                                                                   tmp_path):
    runner.invoke(args=["badges", "--out", str(tmp_path / "first")])
    header, rows = sample_rows()
    rows[4][0] = "Gertjan"  # a corrected first name
    changed = tmp_path / "v2.csv"
    changed.write_bytes(to_csv(header, rows))
    assert runner.invoke(args=["import", str(changed)]).exit_code == 0

    result = runner.invoke(args=["badges", "--out", str(tmp_path / "again"), "--only-changed"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1 nieuwe of gewijzigde badge (a4, op naam), 1 pagina\n")
    (png,) = (tmp_path / "again" / "png").glob("*.png")
    (code,) = decode(Image.open(png))
    assert attendee_store.get_by_code(db, code).first_name == "Gertjan"
    assert (tmp_path / "again" / "badges-a4-changed.pdf").is_file()

    nothing = runner.invoke(args=["badges", "--out", str(tmp_path / "third"),
                                  "--only-changed"])
    assert "Geen badges te printen" in nothing.stdout


def test_a_new_registration_is_new_and_a_cancelled_one_is_not_printed(db, event, imported):
    attendee_store.mark_printed(db, {a.id: a.badge_version for a in imported})
    header, rows = sample_rows()
    rows.append(["Zoë", "Nieuw", "zoe.nieuw@lier.be", "Lier", "Jeugdconsulent", "Economie",
                 "Economie", "ja", "", "ja", ""])
    import_registrations(db, event, to_csv(header, rows[1:]), "v2.csv")  # row 0 dropped
    fresh = attendee_store.printable(db, only_changed=True)
    assert [a.email for a in fresh] == ["zoe.nieuw@lier.be"]
    assert rows[0][2] not in {a.email for a in attendee_store.printable(db)}


def test_sorting_by_name_the_flemish_way_and_per_bestuur():
    people = [person(id=1, first_name="Jan", last_name="Van Dyck", bestuur="Lier"),
              person(id=2, first_name="An", last_name="Çelik", bestuur="Mechelen"),
              person(id=3, first_name="Bart", last_name="de Smet", bestuur="Lier"),
              person(id=4, first_name="Els", last_name="Aerts", bestuur="Mechelen")]
    by_name = [a.last_name for a in sorted_for_print(people, "name")]
    assert by_name == ["Aerts", "Çelik", "de Smet", "Van Dyck"]
    by_bestuur = [a.key for a in sorted_for_print(people, "bestuur")]
    assert by_bestuur == [3, 1, 4, 2]


def test_sorting_per_bestuur_bookmarks_each_bestuur(runner, imported, tmp_path):
    from pypdf import PdfReader

    runner.invoke(args=["badges", "--out", str(tmp_path), "--sort", "bestuur",
                        "--layout", "cr80"])
    outline = [item.title for item in PdfReader(tmp_path / "badges-cr80.pdf").outline]
    assert outline == sorted(outline) and len(outline) == len({a.bestuur for a in imported})


def test_a_long_run_is_split_over_numbered_files(event, tmp_path):
    template = load_template()
    small = dataclasses.replace(template.layouts["cr80"], per_file=4)
    template = dataclasses.replace(template, layouts={**template.layouts, "cr80": small})
    people = [person(id=i, badge_code=codes.new_code(), last_name=f"N{i}") for i in range(10)]
    run = print_badges(people, event, tmp_path, layout="cr80", template=template)
    assert [p.name for p in run.pdfs] == ["badges-cr80-1.pdf", "badges-cr80-2.pdf",
                                          "badges-cr80-3.pdf"]
    assert [len(page_sizes_mm(p)) for p in run.pdfs] == [4, 4, 2] and len(run.pngs) == 10


def test_an_unknown_layout_is_one_clear_line(runner, imported, tmp_path):
    result = runner.invoke(args=["badges", "--out", str(tmp_path), "--layout", "a3"])
    assert result.exit_code == 1 and "no layout 'a3'" in result.stderr


def test_checklist_is_alphabetical_with_rooms_and_codes(runner, db, imported, tmp_path):
    out = tmp_path / "lijst.pdf"
    result = runner.invoke(args=["checklist", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("48 deelnemers op de aanwezigheidslijst")
    text = " ".join(pdf_text(out).split())  # a long name wraps inside its cell
    ordered = sorted_for_print(faces(imported), "name")
    positions = [text.index(f"{a.last_name}, {a.first_name}") for a in ordered]
    assert positions == sorted(positions)
    assert codes.display(ordered[0].code) in text
    assert "Zaal " in text and "Voormiddag" in text and "Namiddag" in text


def test_markup_on_the_checklist_stays_text(db, event, tmp_path):
    from kiosk.printing.checklist import checklist_pdf

    header, rows = sample_rows()
    rows[0][0] = "<b>Jan</b>"
    import_registrations(db, event, to_csv(header, rows), "markup.csv")
    text = pdf_text(checklist_pdf(faces(attendee_store.printable(db)), event, at("08:30")))
    assert "<b>Jan</b>" in text


def test_a_template_path_that_does_not_exist_is_reported(runner, imported, tmp_path):
    result = runner.invoke(args=["badges", "--out", str(tmp_path), "--template",
                                 str(Path(tmp_path) / "nope.toml")])
    assert result.exit_code == 1 and "badge template not found" in result.stderr


def test_a_png_that_cannot_be_written_stops_the_run(tmp_path):
    from kiosk.printing.sheets import PngWriter

    with pytest.raises(FileNotFoundError), PngWriter(300) as pngs:
        pngs.write(tmp_path / "weg" / "badge.png", Image.new("P", (4, 4)))
