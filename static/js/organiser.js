// The organiser's overview of the day: arrivals over time (an SVG chart drawn here, no
// library), who is where, per bestuur, the bestuur x theme coverage heat map and the
// stations' last contact. Redrawn from every live snapshot; all text set as textContent.
import { $, el, hhmm, pageConfig, runScreen, setText, toMinutes } from "./live.js";

const config = pageConfig("screen");
const SVG = "http://www.w3.org/2000/svg";
const ROLES = { reception: "onthaal", host: "zaal", caterer: "keuken", organiser: "organisator" };
let coverageMode = "present";
let screen = null;

function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== null) node.textContent = String(text);
  return node;
}

// --- big numbers ----------------------------------------------------------------------------
function drawKpis(snapshot) {
  const totals = snapshot.totals || {};
  setText($("k-on-site"), totals.on_site ?? "–");
  setText($("k-arrived"), totals.arrived ?? "–");
  setText($("k-expected"), totals.expected ?? "–");
  setText($("k-walk-ins"), totals.walk_ins ?? "–");
  for (const moment of snapshot.catering || []) {
    let kpi = $(`k-meal-${moment.id}`);
    if (!kpi) {
      kpi = el("div", "kpi meal");
      kpi.id = `k-meal-${moment.id}`;
      kpi.append(el("b"), el("span"), el("small"));
      document.querySelector(".kpis").append(kpi);
    }
    setText(kpi.querySelector("b"), moment.forecast ? moment.forecast.expected : "–");
    setText(kpi.querySelector("span"), moment.name);
    setText(kpi.querySelector("small"), `verwacht · ${moment.registered} ingeschreven`);
    kpi.title = moment.forecast ? moment.forecast.explanation : "";
  }
}

// --- the arrival curve ----------------------------------------------------------------------
function timeTicks(from, to) {
  const span = to - from;
  const step = span <= 60 ? 15 : span <= 180 ? 30 : span <= 360 ? 60 : 120;
  const ticks = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

function drawArrivals(snapshot, now) {
  const box = $("arrivals");
  const buckets = (snapshot.arrivals || []).map((a) => ({ ...a, t: toMinutes(a.at) }));
  if (!buckets.length) {
    box.replaceChildren(el("p", "empty", "Nog geen aankomsten."));
    return;
  }
  const expected = (snapshot.totals || {}).expected || 0;
  const width = Math.max(320, box.clientWidth || 600);
  const height = Math.max(200, box.clientHeight || 260);
  const pad = { left: 44, right: 64, top: 16, bottom: 30 };
  const first = buckets[0].t;
  let last = buckets[buckets.length - 1].t + 5;
  if (now !== null && now > last && now - last < 180) last = now;
  const from = first - 5;
  const to = Math.max(last, from + 30);
  const x = (t) => pad.left + ((t - from) / (to - from)) * (width - pad.left - pad.right);
  const maxCount = Math.max(...buckets.map((b) => b.count), 1);
  const maxTotal = Math.max(expected, buckets[buckets.length - 1].total, 1);
  const plotH = height - pad.top - pad.bottom;
  const yCount = (n) => pad.top + plotH - (n / maxCount) * plotH * 0.6; // bars: lower 60 %
  const yTotal = (n) => pad.top + plotH - (n / maxTotal) * plotH;

  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-label": `Aankomsten: ${buckets[buckets.length - 1].total} van ${expected}` });
  // grid and time axis
  for (const t of timeTicks(from, to)) {
    chart.append(svg("line", { x1: x(t), x2: x(t), y1: pad.top, y2: pad.top + plotH, class: "grid" }));
    chart.append(svg("text", { x: x(t), y: height - 8, class: "axis", "text-anchor": "middle" }, hhmm(t)));
  }
  chart.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: pad.top + plotH, y2: pad.top + plotH, class: "base" }));
  // the registered line: where the total is heading
  if (expected) {
    chart.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: yTotal(expected), y2: yTotal(expected), class: "target" }));
    chart.append(svg("text", { x: width - pad.right + 6, y: yTotal(expected) + 5, class: "axis target-label" }, expected));
  }
  // bars: arrivals per 5 minutes
  const barW = Math.max(2, x(from + 5) - x(from) - 3);
  for (const b of buckets) {
    chart.append(svg("rect", { x: x(b.t) + 1.5, y: yCount(b.count), width: barW, height: yCount(0) - yCount(b.count), class: "bucket" },
    ));
  }
  chart.append(svg("text", { x: pad.left - 6, y: yCount(maxCount) + 5, class: "axis bucket-label", "text-anchor": "end" }, maxCount));
  chart.append(svg("text", { x: pad.left - 6, y: yCount(0), class: "axis", "text-anchor": "end" }, 0));
  // the running total as a step line, ending at the last bucket's end
  let path = `M ${x(from)} ${yTotal(0)}`;
  for (const b of buckets) path += ` L ${x(b.t)} ${yTotal(b.total - b.count)} L ${x(b.t + 5)} ${yTotal(b.total)}`;
  path += ` L ${x(last)} ${yTotal(buckets[buckets.length - 1].total)}`;
  chart.append(svg("path", { d: path, class: "total" }));
  const final = buckets[buckets.length - 1].total;
  chart.append(svg("text", { x: width - pad.right + 6, y: yTotal(final) + (expected && Math.abs(yTotal(final) - yTotal(expected)) < 16 ? 18 : 5), class: "axis total-label" }, final));
  box.replaceChildren(chart);
}

// --- where everyone is ----------------------------------------------------------------------
function drawLocations(snapshot) {
  const links = Object.fromEntries((config.rooms || []).map((r) => [r.id, r.url]));
  $("locations").replaceChildren(...(snapshot.locations || []).map((loc) => {
    const item = el("li", loc.present ? "" : "none");
    const name = links[loc.id] ? el("a", "name", loc.name) : el("span", "name", loc.name);
    if (links[loc.id]) name.href = links[loc.id];
    const count = el("b", "", loc.present);
    const meter = el("span", "meter");
    if (loc.capacity) {
      const fill = el("span", "fill");
      const share = loc.present / loc.capacity;
      fill.style.width = `${Math.min(100, share * 100)}%`;
      meter.classList.add(share >= 1 ? "full" : share >= 0.85 ? "nearly" : "ok");
      meter.append(fill);
      meter.title = `${loc.present} van ${loc.capacity}`;
    }
    const cap = el("small", "", loc.capacity ? `/ ${loc.capacity}` : "");
    item.append(name, meter, count, cap);
    return item;
  }));
}

// --- per bestuur ----------------------------------------------------------------------------
function drawBesturen(snapshot) {
  const list = snapshot.besturen || [];
  $("besturen").replaceChildren(...list.map((b) => {
    const item = el("li", b.arrived ? "" : "none");
    const meter = el("span", "meter");
    const fill = el("span", "fill");
    fill.style.width = `${b.registered ? (100 * b.arrived) / b.registered : 0}%`;
    meter.append(fill);
    item.append(el("span", "name", b.name), meter, el("b", "", `${b.arrived} / ${b.registered}`));
    return item;
  }));
}

// --- the coverage heat map ------------------------------------------------------------------
// Blue, darker for more people; an empty cell is red: that theme hears nobody from that
// bestuur, which is what the day is meant to avoid.
function shade(count, max) {
  const t = Math.sqrt(count / max); // a few people already show
  const mix = (a, b) => Math.round(a + (b - a) * t);
  return [mix(222, 27), mix(233, 58), mix(245, 92)];
}

function drawCoverage(snapshot) {
  const cov = snapshot.coverage;
  const table = $("coverage");
  if (!cov) { table.replaceChildren(); return; }
  const matrix = cov[coverageMode] || [];
  const other = cov[coverageMode === "present" ? "registered" : "present"] || [];
  const max = Math.max(1, ...matrix.flat());
  const head = el("tr");
  head.append(el("th", "corner", ""));
  for (const theme of cov.themes) head.append(el("th", "theme", theme.name));
  head.append(el("th", "sum", "thema's"));
  const rows = cov.besturen.map((bestuur, i) => {
    const row = el("tr");
    row.append(el("th", "bestuur", bestuur));
    (matrix[i] || []).forEach((count, j) => {
      const cell = el("td", count ? "" : "zero", count);
      if (count) {
        const [r, g, b] = shade(count, max);
        cell.style.backgroundColor = `rgb(${r}, ${g}, ${b})`;
        if (Math.sqrt(count / max) > 0.55) cell.classList.add("dark");
      }
      const otherCount = (other[i] || [])[j] || 0;
      cell.title = `${bestuur} × ${cov.themes[j].name}: ${coverageMode === "present"
        ? `${count} aanwezig, ${otherCount} ingeschreven` : `${count} ingeschreven, ${otherCount} aanwezig`}`;
      row.append(cell);
    });
    const reached = (matrix[i] || []).filter(Boolean).length;
    row.append(el("td", `sum${reached < cov.themes.length ? " short" : ""}`, `${reached}/${cov.themes.length}`));
    return row;
  });
  const foot = el("tr", "sums");
  foot.append(el("th", "bestuur", "besturen"));
  cov.themes.forEach((_, j) => {
    const heard = matrix.filter((row) => row[j]).length;
    foot.append(el("td", `sum${heard < cov.besturen.length ? " short" : ""}`, `${heard}/${cov.besturen.length}`));
  });
  foot.append(el("td", "sum", ""));
  table.replaceChildren(el("thead"), el("tbody"), el("tfoot"));
  table.tHead.append(head);
  table.tBodies[0].append(...rows);
  table.tFoot.append(foot);
}

for (const button of document.querySelectorAll(".toggle button")) {
  button.addEventListener("click", () => {
    coverageMode = button.dataset.mode;
    for (const b of document.querySelectorAll(".toggle button")) b.classList.toggle("on", b === button);
    drawCoverage(screen.latest);
  });
}

// --- stations -------------------------------------------------------------------------------
function drawStations(snapshot) {
  const places = Object.fromEntries((snapshot.locations || []).map((l) => [l.id, l.name]));
  const list = snapshot.stations || [];
  const offline = list.filter((s) => !s.online);
  const alert = $("stations-alert");
  alert.hidden = !offline.length;
  setText(alert, offline.length === 1 ? "1 post zonder contact" : `${offline.length} posten zonder contact`);
  const head = el("tr");
  for (const title of ["post", "rol", "plaats", "laatste contact", ""]) head.append(el("th", "", title));
  const rows = list.map((s) => {
    const row = el("tr", s.online ? "online" : "offline");
    row.append(el("td", "name", s.name), el("td", "", ROLES[s.role] || s.role),
      el("td", "", s.location ? places[s.location] || s.location : "–"),
      el("td", "", s.last_seen || "nooit"),
      el("td", "state", s.online ? "✓ verbonden" : "⚠ geen contact"));
    return row;
  });
  if (!rows.length) rows.push(el("tr"));
  table(rows, head);
}

function table(rows, head) {
  const stations = $("stations");
  stations.replaceChildren(el("thead"), el("tbody"));
  stations.tHead.append(head);
  stations.tBodies[0].append(...rows);
}

// --------------------------------------------------------------------------------------------
function draw(snapshot, now) {
  drawKpis(snapshot);
  drawArrivals(snapshot, now);
  drawLocations(snapshot);
  drawBesturen(snapshot);
  drawCoverage(snapshot);
  drawStations(snapshot);
}

screen = runScreen({ config, draw, redrawMs: 30_000 });
let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(screen.render, 150);
});
