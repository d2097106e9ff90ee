"""report.html: one self-contained file (styles inline, charts as data URIs, no script, no
request to anywhere), readable in any browser and printable.

Every number in a table carries `data-figure="group.key..."`, the path of the figure it
shows, so a test can check each of them against the database.
"""

from __future__ import annotations

import base64
import datetime as dt
from html import escape

from kiosk.event import Event

STYLE = """
body { font-family: "DejaVu Sans", system-ui, Arial, sans-serif; color: #111; margin: 0;
       background: #fff; line-height: 1.4; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
header { border-bottom: 3px solid #111; margin-bottom: 1rem; }
h1 { font-size: 1.9rem; margin: 0 0 .2rem; } h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; }
.meta { color: #444; margin: .2rem 0 .8rem; }
.purged { border: 2px solid #111; padding: .5rem .8rem; background: #eee; }
.keys { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .6rem;
        padding: 0; list-style: none; }
.keys li { border: 1px solid #999; border-radius: .4rem; padding: .5rem .7rem; }
.keys b { display: block; font-size: 1.8rem; }
img { max-width: 100%; height: auto; display: block; margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border-bottom: 1px solid #bbb; padding: .25rem .5rem; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
.matrix td.n[data-zero] { background: repeating-linear-gradient(45deg, #fff 0 3px, #ccc 3px 5px); }
footer { color: #444; font-size: .85rem; border-top: 1px solid #999; margin-top: 2rem;
         padding-top: .5rem; }
@media print { h2 { break-after: avoid; } img, table { break-inside: avoid; } }
"""


def _n(key: str, value: object, extra: str = "") -> str:
    shown = "–" if value is None else escape(str(value))
    return f'<td class="n" data-figure="{escape(key)}"{extra}>{shown}</td>'


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{escape(alt)}">'


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f}%"


def _date(event_date: str) -> str:
    return dt.date.fromisoformat(event_date).strftime("%d/%m/%Y")


def render(figures: dict, event: Event, charts: dict[str, bytes]) -> str:
    """The whole report as one HTML document."""
    head = figures["event"]
    parts = [
        "<!doctype html>", '<html lang="nl">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Rapport {escape(head['name'])} {_date(head['date'])}</title>",
        f"<style>{STYLE}</style>", "</head>", "<body>", "<main>",
        _header(figures), _totals(figures),
        _section("aankomsten", "Aankomsten", charts["arrivals"],
                 "Aankomsten per vijf minuten en in totaal, tegenover het programma",
                 _arrivals_table(figures)),
        _section("besturen", "Opkomst per bestuur", charts["besturen"],
                 "Per bestuur: gekomen en niet gekomen", _besturen_table(figures)),
        _section("werksessies", "Werksessies: ingeschreven en in de zaal", charts["rooms"],
                 "Per blok en thema: ingeschreven, in de zaal geweest, meeste tegelijk, "
                 "capaciteit", _rooms_table(figures, event)),
        _section("kruisbestuiving", "Kruisbestuiving", charts["coverage"],
                 "Aanwezigen per bestuur en thema", _coverage_block(figures)),
        _section("catering", "Lunch en netwerkmoment", charts["catering"],
                 "Ingeschreven, aanwezig en voorspeld per maaltijd; dieetwensen van wie er "
                 "was", _catering_tables(figures)),
        _section("posten", "Scans per post", charts["stations"],
                 "Scans per post, offline scans gearceerd", _stations_table(figures)),
        _footer(figures), "</main>", "</body>", "</html>",
    ]
    return "\n".join(parts) + "\n"


def _header(figures: dict) -> str:
    head = figures["event"]
    purged = ""
    if figures.get("purged"):
        when = dt.datetime.fromisoformat(figures["purged"]).strftime("%d/%m/%Y")
        purged = (f'<p class="purged">De persoonsgegevens werden op {when} verwijderd. Dit '
                  "rapport toont de bewaarde totalen; er staan geen namen meer in.</p>")
    return (f"<header><h1>{escape(head['name'])}: rapport van de dag</h1>"
            f'<p class="meta">{_date(head["date"])} · {escape(head["venue"])} · '
            f"{escape(head['organiser'])}</p>"
            f'<p class="meta">Cijfers van {escape(figures["computed_at"][:16].replace("T", " "))}'
            "</p>" + purged + "</header>")


def _totals(figures: dict) -> str:
    t = figures["totals"]
    items = [("totals.registered", t["registered"], "vooraf ingeschreven"),
             ("totals.arrived", t["arrived"], "gekomen (ter plaatse ingeschreven inbegrepen)"),
             ("totals.no_shows", t["no_shows"], "ingeschreven maar niet gekomen"),
             ("totals.walk_ins", t["walk_ins"], "ter plaatse ingeschreven"),
             ("totals.cancelled", t["cancelled"], "geannuleerd"),
             ("totals.peak_on_site", t["peak_on_site"],
              f"meeste tegelijk op de site (om {t['peak_on_site_at'] or '–'})")]
    cells = "".join(f'<li><b data-figure="{key}">{value}</b>{escape(words)}</li>'
                    for key, value, words in items)
    return (f'<section id="kerncijfers"><h2>Kerncijfers</h2><ul class="keys">{cells}</ul>'
            f"<p>Opkomst van wie vooraf inschreef: <b>{_percent(t['show_up'])}</b>.</p>"
            "</section>")


def _section(anchor: str, title: str, chart: bytes, alt: str, body: str) -> str:
    return (f'<section id="{anchor}"><h2>{escape(title)}</h2>{_img(chart, alt)}{body}'
            "</section>")


def _table(caption: str, header: list[str], rows: list[str], numeric_from: int = 1,
           css: str = "") -> str:
    ths = "".join(f'<th{" class=n" if i >= numeric_from else ""}>{escape(h)}</th>'
                  for i, h in enumerate(header))
    klass = f' class="{css}"' if css else ""
    return (f"<table{klass}><caption>{escape(caption)}</caption><thead><tr>{ths}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _arrivals_table(figures: dict) -> str:
    rows = [f"<tr><td>{escape(b['at'])}</td>{_n('arrivals.' + b['at'] + '.count', b['count'])}"
            f"{_n('arrivals.' + b['at'] + '.total', b['total'])}</tr>" for b in figures["arrivals"]]
    return _table("Eerste aanmelding per vijf minuten", ["vanaf", "aangekomen", "totaal"],
                  rows)


def _besturen_table(figures: dict) -> str:
    rows = []
    for b in figures["besturen"]:
        key = f"besturen.{b['name']}"
        rows.append(f"<tr><td>{escape(b['name'])}</td>{_n(key + '.registered', b['registered'])}"
                    f"{_n(key + '.walk_ins', b['walk_ins'])}{_n(key + '.arrived', b['arrived'])}"
                    f"{_n(key + '.no_shows', b['no_shows'])}</tr>")
    return _table("Per bestuur", ["bestuur", "vooraf ingeschreven", "ter plaatse",
                                  "gekomen", "niet gekomen"], rows)


def _rooms_table(figures: dict, event: Event) -> str:
    rows = []
    for r in figures["rooms"]:
        key = f"rooms.{r['block']}.{r['theme']}"
        peak = f"{r['peak']} (om {r['peak_at']})" if r["peak_at"] else str(r["peak"])
        rows.append(f"<tr><td>{escape(r['block_name'])}</td><td>{escape(r['theme_name'])}</td>"
                    f"<td>{escape(r['room_name'])}</td>{_n(key + '.registered', r['registered'])}"
                    f"{_n(key + '.visitors', r['visitors'])}"
                    f'<td class="n" data-figure="{escape(key)}.peak" data-value="{r["peak"]}">'
                    f"{escape(peak)}</td>{_n(key + '.capacity', r['capacity'])}</tr>")
    return _table("Per blok en thema (in de zaal: gescand aan de zaaldeur vanaf een half uur "
                  "voor het blok)", ["blok", "thema", "zaal", "ingeschreven", "in de zaal",
                                     "meeste tegelijk", "capaciteit"], rows, numeric_from=3)


def _coverage_block(figures: dict) -> str:
    matrix = figures["coverage"]
    came, registered = matrix["reach_arrived"], matrix["reach_registered"]
    total = len(matrix["besturen"]) * len(matrix["themes"])
    summary = (f"<p><b data-figure=\"coverage.cells\">{came['cells']}</b> van de {total} "
               f"combinaties bestuur × thema kregen iemand over de vloer "
               f"({_percent(came['share'])}); bij de inschrijving waren dat er "
               f"<span data-figure=\"coverage.cells_registered\">{registered['cells']}"
               "</span>.</p>")
    rows = []
    for b, name in enumerate(matrix["besturen"]):
        cells = "".join(
            _n(f"coverage.{name}.{theme}", count, "" if count else " data-zero")
            for theme, count in zip(matrix["themes"], matrix["arrived"][b], strict=True))
        rows.append(f"<tr><td>{escape(name)}</td>{cells}"
                    f"{_n(f'coverage.{name}.themes', came['per_bestuur'][b])}</tr>")
    rows.append("<tr><td>besturen gehoord</td>" + "".join(
        _n(f"coverage.{theme}.besturen", came["per_theme"][i])
        for i, theme in enumerate(matrix["themes"])) + "<td></td></tr>")
    header = ["bestuur", *matrix["themes"], "thema's bereikt"]
    return summary + _table("Aanwezigen per bestuur en thema (beide blokken)", header, rows,
                            css="matrix")


def _catering_tables(figures: dict) -> str:
    meals = figures["catering"]
    rows = []
    for m in meals:
        key = f"catering.{m['id']}"
        rows.append(f"<tr><td>{escape(m['name'])} ({escape(m['start'])})</td>"
                    f"{_n(key + '.registered', m['registered'])}"
                    f"{_n(key + '.present', m['present'])}{_n(key + '.forecast', m['forecast'])}"
                    f"<td>{escape(m['forecast_explanation'])}</td></tr>")
    at = meals[0]["forecast_at"] if meals else "10:00"
    first = _table("Per maaltijd (aanwezig: wie ingeschreven was en op de site bij de start)",
                   ["maaltijd", "ingeschreven", "aanwezig", f"voorspeld om {at}",
                    "zo stond het om " + at], rows)
    if not meals:
        return first
    diet_rows = []
    for index, diet in enumerate(meals[0]["diets"]):
        cells = "".join(_n(f"catering.{m['id']}.diets.{diet['id']}",
                           m["diets"][index]["count"]) for m in meals)
        diet_rows.append(f"<tr><td>{escape(diet['name'])}</td>{cells}</tr>")
    second = _table("Dieetwensen van wie aanwezig was bij de start",
                    ["dieetwens", *[m["name"] for m in meals]], diet_rows)
    return first + second


def _stations_table(figures: dict) -> str:
    rows = []
    for s in figures["stations"]:
        key = f"stations.{s['id'] if s['id'] is not None else 'none'}"
        rows.append(f"<tr><td>{escape(s['name'] or 'zonder post')}</td><td>{escape(s['role'])}"
                    f"</td>{_n(key + '.scans', s['scans'])}{_n(key + '.undone', s['undone'])}"
                    f"{_n(key + '.offline', s['offline'])}"
                    f"<td>{escape(s['last_synced'] or '')}</td></tr>")
    return _table("Scans per post (offline: gemaakt zonder verbinding, later verstuurd)",
                  ["post", "rol", "scans", "ongedaan", "offline", "laatst nagestuurd"], rows,
                  numeric_from=2)


def _footer(figures: dict) -> str:
    return ("<footer>Gemaakt door kiosk uit dezelfde tellingen als de schermen van de dag "
            "(aankomsten, bezetting, catering). Aangekomen: de eerste aanmelding die niet "
            "ongedaan werd gemaakt. In de zaal: gescand aan de deur van die zaal.</footer>")
