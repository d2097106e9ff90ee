"""The report's charts, drawn with matplotlib (Agg: no display, no network) as PNG bytes.

Every chart reads in grey-scale: greys and hatching instead of colours alone, the numbers
written on the bars, Dutch labels. Figures are made with matplotlib's object API (no
pyplot), so charts drawn in a background thread share no global state.
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # before anything of matplotlib draws: never a window, never a GUI

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402

from kiosk.event import Event  # noqa: E402

DPI = 150
INK, DARK, MID, LIGHT, PALE = "#111111", "#444444", "#7a7a7a", "#b8b8b8", "#e6e6e6"
# matplotlib's own font (DejaVu Sans): é, ë and ç without a system font.
matplotlib.rcParams.update({
    "font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 12,
    "axes.titleweight": "bold", "axes.spines.top": False, "axes.spines.right": False,
    "hatch.linewidth": 0.8, "svg.fonttype": "none", "pdf.fonttype": 42,
})


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white",
                   metadata={"Software": None})  # the same day draws the same bytes
    return buffer.getvalue()


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _label(minutes: float) -> str:
    return f"{int(minutes) // 60:02d}:{int(minutes) % 60:02d}"


def arrivals(figures: dict, event: Event) -> bytes:
    """Arrivals per five minutes (bars) and in total (line), against the program."""
    buckets = figures["arrivals"]
    figure = _figure(10, 4.4)
    axes = figure.add_subplot()
    if not buckets:
        return _empty(figure, axes, "Nog niemand aangekomen")
    xs = [_minutes(b["at"]) for b in buckets]
    first = min(xs[0], _minutes(event.program[0].start.strftime("%H:%M"))) - 15
    last = max(xs[-1] + 15, first + 120)
    axes.bar([x + 2.5 for x in xs], [b["count"] for b in buckets], width=4.2, color=MID,
             edgecolor=INK, linewidth=0.4, zorder=3)
    axes.set_ylabel("per 5 minuten")
    axes.set_ylim(0, max(b["count"] for b in buckets) * 1.35)  # room for the program's names
    total = axes.twinx()
    total.spines["right"].set_visible(True)
    # The total by the end of each five minutes, from 0 at the first one's start.
    total.step([xs[0]] + [x + 5 for x in xs], [0] + [b["total"] for b in buckets],
               where="post", color=INK, linewidth=2, zorder=4)
    expected = figures["totals"]["expected"]
    total.axhline(expected, color=INK, linestyle=(0, (4, 3)), linewidth=1)
    total.annotate(f"verwacht: {expected}", (last, expected), xytext=(-4, -12),
                   textcoords="offset points", ha="right", fontsize=9)
    total.set_ylim(0, max(expected, buckets[-1]["total"]) * 1.35 or 1)
    total.set_ylabel("totaal aangekomen")
    _program_bands(axes, event, first, last)
    ticks = range(first - first % 30 + 30, last, 30)
    axes.set_xticks(list(ticks), [_label(t) for t in ticks])
    axes.set_xlim(first, last)
    handles = [Patch(facecolor=MID, edgecolor=INK, label="aangekomen per 5 minuten"),
               Line2D([], [], color=INK, linewidth=2, label="totaal aangekomen"),
               Line2D([], [], color=INK, linewidth=1, linestyle=(0, (4, 3)),
                      label="verwacht (ingeschreven en ter plaatse)")]
    axes.legend(handles=handles, loc="center right", frameon=True, facecolor="white",
                edgecolor=LIGHT, fontsize=9)
    axes.set_title("Aankomsten tegenover het programma", loc="left")
    return _png(figure)


def _program_bands(axes, event: Event, first: int, last: int) -> None:
    """The program's slots as alternating light bands, named at the top inside the plot."""
    for index, slot in enumerate(event.program):
        start, end = _minutes(slot.start.strftime("%H:%M")), _minutes(slot.end.strftime("%H:%M"))
        if end <= first or start >= last:
            continue
        shown_start, shown_end = max(start, first), min(end, last)
        if index % 2 == 0:
            axes.axvspan(shown_start, shown_end, color=PALE, zorder=0, linewidth=0)
        if start >= first:
            axes.axvline(start, color=LIGHT, linewidth=0.8, zorder=1)
        title = slot.title if shown_end - shown_start >= 25 else slot.title.split(" ")[0]
        axes.text(shown_start + 1.5, 0.98, f"{slot.start:%H:%M} {title}",
                  transform=axes.get_xaxis_transform(), ha="left", va="top", fontsize=8,
                  color=DARK, clip_on=True)


def besturen(figures: dict) -> bytes:
    """Per bestuur: came and did not come, stacked to the number registered."""
    lines = [b for b in figures["besturen"] if b["registered"] or b["walk_ins"]]
    figure = _figure(10, 0.42 * max(len(lines), 4) + 1.4)
    axes = figure.add_subplot()
    if not lines:
        return _empty(figure, axes, "Geen inschrijvingen")
    names = [b["name"] for b in lines][::-1]
    came = [b["arrived"] for b in lines][::-1]
    missed = [b["no_shows"] for b in lines][::-1]
    axes.barh(names, came, color=DARK, edgecolor=INK, linewidth=0.4, label="gekomen")
    axes.barh(names, missed, left=came, color="white", edgecolor=INK, hatch="///",
              linewidth=0.4, label="niet gekomen")
    for y, (c, m) in enumerate(zip(came, missed, strict=True)):
        axes.text(c + m + 0.3, y, f"{c} van {c + m}" if m else f"{c}", va="center", fontsize=9)
    axes.set_xlabel("deelnemers")
    axes.set_xlim(0, max(c + m for c, m in zip(came, missed, strict=True)) * 1.18 + 1)
    axes.legend(loc="lower right", frameon=False)
    axes.set_title("Opkomst per bestuur", loc="left")
    return _png(figure)


def rooms(figures: dict, event: Event) -> bytes:
    """Per block: per theme registered, in the room, peak, against the capacity."""
    blocks = [b for b in event.blocks if any(r["block"] == b.id for r in figures["rooms"])]
    figure = _figure(10, 3.4 * max(len(blocks), 1) + 0.6)
    if not blocks:
        return _empty(figure, figure.add_subplot(), "Geen werksessies")
    grid = figure.subplots(len(blocks), 1, squeeze=False)
    for axes, block in zip(grid[:, 0], blocks, strict=True):
        lines = [r for r in figures["rooms"] if r["block"] == block.id]
        xs = range(len(lines))
        axes.bar([x - 0.2 for x in xs], [r["registered"] for r in lines], width=0.4,
                 color="white", edgecolor=INK, hatch="...", linewidth=0.6, label="ingeschreven")
        axes.bar([x + 0.2 for x in xs], [r["visitors"] for r in lines], width=0.4, color=MID,
                 edgecolor=INK, linewidth=0.6, label="in de zaal geweest")
        axes.scatter([x + 0.2 for x in xs], [r["peak"] for r in lines], marker="D", s=30,
                     color=INK, zorder=4, label="meeste tegelijk")
        for x, r in zip(xs, lines, strict=True):
            if r["capacity"]:
                axes.hlines(r["capacity"], x - 0.45, x + 0.45, color=INK, linewidth=2,
                            linestyles=(0, (2, 1)))
            top = max(r["registered"], r["visitors"], r["capacity"] or 0)
            axes.text(x, top + 1, f"{r['visitors']} van {r['registered']}", ha="center",
                      va="bottom", fontsize=8)
        axes.set_xticks(list(xs), [_short(r["theme_name"]) for r in lines], fontsize=8)
        axes.set_ylabel("deelnemers")
        axes.set_ylim(0, max(max(r["registered"], r["visitors"], r["capacity"] or 0)
                             for r in lines) * 1.2 + 1)
        axes.set_title(f"{block.name}: ingeschreven en in de zaal", loc="left")
    handles, labels = grid[0, 0].get_legend_handles_labels()
    handles.append(Line2D([], [], color=INK, linewidth=2,
                                           linestyle=(0, (2, 1))))
    labels.append("capaciteit")
    grid[0, 0].legend(handles, labels, loc="upper right", ncols=4, frameon=False, fontsize=8,
                      bbox_to_anchor=(1, 1.18))
    return _png(figure)


def _short(name: str) -> str:
    """Theme names on two lines where they are long ('Onderwijs en\\nkinderopvang')."""
    if len(name) <= 14 or " " not in name:
        return name
    words, first = name.split(), ""
    while words and len(first) + len(words[0]) < 14:
        first = f"{first} {words.pop(0)}".strip()
    return f"{first}\n{' '.join(words)}" if first else name


def coverage(figures: dict) -> bytes:
    """The bestuur x theme matrix of those who came: grey by number, hatched where nobody
    of a bestuur was in a theme, the reach of each row and column in the margins."""
    matrix = figures["coverage"]
    rows, themes = matrix["arrived"], matrix["themes"]
    figure = _figure(10, 0.42 * max(len(rows), 4) + 2.4)
    axes = figure.add_subplot()
    if not rows or not themes:
        return _empty(figure, axes, "Geen besturen of thema's")
    top = max(max(row) for row in rows) or 1
    for y, row in enumerate(rows):
        for x, count in enumerate(row):
            shade = 0.92 - 0.7 * count / top if count else 1.0
            if not count:  # the hatch takes the edge's colour: a grey one, under the grid
                axes.add_patch(Rectangle((x, y), 1, 1, facecolor="white", edgecolor=MID,
                                         hatch="xx", linewidth=0))
            axes.add_patch(Rectangle((x, y), 1, 1, facecolor=str(round(shade, 3))
                                     if count else "none", edgecolor="white", linewidth=1.5))
            axes.text(x + 0.5, y + 0.5, str(count), ha="center", va="center", fontsize=9,
                      color="white" if shade < 0.5 else INK,
                      bbox=None if count else {"facecolor": "white", "edgecolor": "none",
                                               "pad": 1.5})
    reach = matrix["reach_arrived"]
    axes.set_xlim(0, len(themes))
    axes.set_ylim(len(rows), 0)
    axes.set_xticks([x + 0.5 for x in range(len(themes))],
                    [f"{_short(t)}\n({n}/{len(rows)})" for t, n in
                     zip(themes, reach["per_theme"], strict=True)], fontsize=8)
    axes.xaxis.tick_top()
    axes.set_yticks([y + 0.5 for y in range(len(rows))],
                    [f"{b} ({n}/{len(themes)})" for b, n in
                     zip(matrix["besturen"], reach["per_bestuur"], strict=True)], fontsize=9)
    axes.tick_params(length=0)
    for side in ("left", "bottom"):
        axes.spines[side].set_visible(False)
    axes.set_xlabel("Tussen haakjes: hoeveel thema's een bestuur bereikte, hoeveel besturen "
                    "een thema hoorde. Gearceerd: niemand van dat bestuur in dat thema.",
                    fontsize=8)
    axes.set_title("Kruisbestuiving: aanwezigen per bestuur en thema", loc="left", pad=34)
    return _png(figure)


def catering(figures: dict) -> bytes:
    """Per lunch and tapas: registered, present, and the forecast made at 10:00; beside
    it the dietary needs of those present."""
    meals = figures["catering"]
    figure = _figure(10, 3.8)
    if not meals:
        return _empty(figure, figure.add_subplot(), "Geen maaltijden")
    left, right = figure.subplots(1, 2, width_ratios=[1.1, 1])
    series = [("registered", "ingeschreven", "white", "..."), ("present", "aanwezig", DARK, None),
              ("forecast", f"voorspeld om {meals[0]['forecast_at']}", LIGHT, "\\\\")]
    for offset, (key, label, colour, hatch) in enumerate(series):
        xs = [i + (offset - 1) * 0.27 for i in range(len(meals))]
        values = [m[key] for m in meals]
        left.bar(xs, values, width=0.26, color=colour, edgecolor=INK, hatch=hatch,
                 linewidth=0.6, label=label)
        for x, v in zip(xs, values, strict=True):
            left.text(x, v + 0.5, str(v), ha="center", fontsize=8)
    left.set_xticks(range(len(meals)), [m["name"] for m in meals])
    left.set_ylim(0, max(max(m["registered"], m["present"], m["forecast"]) for m in meals)
                  * 1.25 + 1)
    left.legend(loc="upper right", frameon=False, fontsize=8)
    left.set_title("Maaltijden", loc="left")
    names = [d["name"] for d in meals[0]["diets"]][::-1]
    for offset, meal in enumerate(meals[:2]):
        counts = [d["count"] for d in meal["diets"]][::-1]
        ys = [y + (0.5 - offset) * 0.38 for y in range(len(names))]  # lunch above
        right.barh(ys, counts, height=0.36, color=[DARK, "white"][offset], edgecolor=INK,
                   hatch=[None, "///"][offset], linewidth=0.6, label=meal["name"])
        for y, c in zip(ys, counts, strict=True):
            right.text(c + 0.2, y, str(c), va="center", fontsize=8)
    right.set_yticks(range(len(names)), names, fontsize=8)
    right.set_xlim(0, max([d["count"] for m in meals for d in m["diets"]] + [1]) * 1.3 + 1)
    right.legend(loc="lower right", frameon=False, fontsize=8)
    right.set_title("Dieetwensen van wie er was", loc="left")
    return _png(figure)


def stations(figures: dict) -> bytes:
    """Scans per station, the offline ones hatched."""
    lines = [s for s in figures["stations"] if s["scans"]]
    figure = _figure(10, 0.4 * max(len(lines), 3) + 1.3)
    axes = figure.add_subplot()
    if not lines:
        return _empty(figure, axes, "Nog geen scans")
    names = [s["name"] or "zonder post" for s in lines][::-1]
    online = [s["scans"] - s["offline"] for s in lines][::-1]
    offline = [s["offline"] for s in lines][::-1]
    axes.barh(names, online, color=MID, edgecolor=INK, linewidth=0.4, label="verbonden")
    axes.barh(names, offline, left=online, color="white", edgecolor=INK, hatch="xxx",
              linewidth=0.4, label="offline gescand, later verstuurd")
    for y, (a, b) in enumerate(zip(online, offline, strict=True)):
        axes.text(a + b + 0.5, y, f"{a + b}" + (f" ({b} offline)" if b else ""), va="center",
                  fontsize=8)
    axes.set_xlim(0, max(a + b for a, b in zip(online, offline, strict=True)) * 1.25 + 1)
    axes.tick_params(axis="y", labelsize=8)
    axes.set_xlabel("scans")
    axes.legend(loc="lower right", frameon=False, fontsize=8)
    axes.set_title("Scans per post", loc="left")
    return _png(figure)


def _empty(figure: Figure, axes, words: str) -> bytes:
    axes.set_axis_off()
    axes.text(0.5, 0.5, words, ha="center", va="center", fontsize=14, color=MID)
    return _png(figure)


def all_charts(figures: dict, event: Event, progress=None) -> dict[str, bytes]:
    """Every chart of the report, by name."""
    makers = {"arrivals": lambda: arrivals(figures, event), "besturen": lambda: besturen(figures),
              "rooms": lambda: rooms(figures, event), "coverage": lambda: coverage(figures),
              "catering": lambda: catering(figures), "stations": lambda: stations(figures)}
    charts = {}
    for done, (name, make) in enumerate(makers.items(), start=1):
        charts[name] = make()
        if progress:
            progress(done, len(makers))
    return charts

