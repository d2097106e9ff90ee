// The kitchen screen: a TV across the room. How many are here, how many will eat, who
// needs what, and how long until the next meal. Redrawn from every live snapshot.
import { $, duration, el, fitText, pageConfig, runScreen, setText, toMinutes } from "./live.js";

const config = pageConfig("screen");
const moments = config.moments.map((m) => ({ ...m, from: toMinutes(m.start), to: toMinutes(m.end) }));

// The meal the kitchen is working towards: the running one, else the next, else the last.
function focusMoment(now) {
  if (now === null) return moments[0];
  return moments.find((m) => now < m.to) || moments[moments.length - 1];
}

function drawNextMeal(now) {
  const tile = $("next-meal");
  if (now === null || !moments.length) { tile.hidden = true; return; }
  const upcoming = moments.find((m) => now < m.to);
  if (!upcoming) {
    tile.dataset.state = "done";
    setText($("next-label"), "Maaltijden");
    setText($("next-in"), "afgelopen");
    setText($("next-at"), "Geen maaltijd meer vandaag.");
  } else if (now >= upcoming.from) {
    tile.dataset.state = "now";
    setText($("next-label"), upcoming.name);
    setText($("next-in"), "nu bezig");
    setText($("next-at"), `tot ${upcoming.end}`);
  } else {
    const left = upcoming.from - now;
    tile.dataset.state = left <= 30 ? "soon" : "later";
    setText($("next-label"), `${upcoming.name} begint over`);
    setText($("next-in"), duration(left));
    setText($("next-at"), `om ${upcoming.start}`);
  }
  const focus = focusMoment(now);
  for (const m of moments) {
    const card = $(`meal-${m.id}`);
    if (!card) continue;
    card.classList.toggle("focus", m === focus);
    card.classList.toggle("past", now >= m.to);
  }
}

function drawMeal(moment) {
  const card = $(`meal-${moment.id}`);
  if (!card) return;
  const field = (name) => card.querySelector(`[data-field="${name}"]`);
  setText(field("registered"), moment.registered);
  setText(field("on_site"), moment.on_site);
  setText(field("expected"), moment.forecast ? moment.forecast.expected : "–");
  setText(field("explanation"), moment.forecast ? moment.forecast.explanation : "");
}

function drawDiets(moment) {
  setText($("diets-title"), `Dieetwensen bij ${moment.name.toLowerCase()} · van wie nu aanwezig is`);
  // "Andere" only when someone has a need outside the categories; it is listed by text.
  const diets = moment.diets.filter((d) => d.id !== "other" || d.count);
  $("diets").replaceChildren(...diets.map((d) => {
    const tile = el("li", `diet${d.count ? "" : " none"}`);
    tile.dataset.diet = d.id;
    tile.append(el("b", "", d.count), el("span", "", d.name));
    return tile;
  }));
  const allergies = moment.allergies || [];
  setText($("allergy-count"), allergies.length ? `(${allergies.length})` : "");
  $("allergies").replaceChildren(...(allergies.length ? allergies.map((a) => {
    const item = el("li");
    item.append(el("strong", "", a.name), el("span", "", a.need));
    return item;
  }) : [el("li", "empty", "Geen allergieën bij wie nu aanwezig is.")]));
  const notes = moment.notes || [];
  $("notes-title").hidden = !notes.length;
  $("notes").replaceChildren(...notes.map((n) => el("li", "", n)));
}

// The allergy list gets what room the panel has: first in large type, then denser (name
// and need on one line); only when even that does not fit, the last ones are counted.
function fitAllergies() {
  const list = $("allergies");
  const overflows = () => list.scrollHeight > list.clientHeight + 1;
  const items = [...list.children].filter((li) => !li.classList.contains("more"));
  list.querySelector(".more")?.remove();
  items.forEach((li) => { li.hidden = false; });
  list.classList.remove("dense");
  if (overflows()) list.classList.add("dense");
  let hidden = 0;
  while (overflows() && hidden < items.length - 1) {
    hidden += 1;
    items[items.length - hidden].hidden = true;
    list.querySelector(".more")?.remove();
    list.append(el("li", "more", `+ ${hidden} meer`));
  }
}

// Every number as large as its box allows; the diet tiles all at the size of the smallest,
// so 21 does not look less than 6.
function fitNumbers() {
  for (const node of document.querySelectorAll(".screen-caterer .fit, .diet b, .diet span")) {
    fitText(node, 16);
  }
  const tiles = [...document.querySelectorAll(".diet b")];
  const smallest = Math.min(...tiles.map((b) => parseFloat(getComputedStyle(b).fontSize)));
  if (Number.isFinite(smallest)) tiles.forEach((b) => { b.style.fontSize = `${smallest}px`; });
  fitAllergies();
  // For whoever waits on a fitted screen (the device matrix in the browser tests).
  document.body.dataset.fittedFor = `${innerWidth}x${innerHeight}`;
}

function draw(snapshot, now) {
  const totals = snapshot.totals || {};
  setText($("on-site"), totals.on_site ?? "–");
  setText($("arrived-line"), `${totals.arrived ?? 0} van ${totals.expected ?? 0} aangekomen`);
  const catering = snapshot.catering || [];
  catering.forEach(drawMeal);
  const focus = focusMoment(now);
  const moment = catering.find((c) => focus && c.id === focus.id) || catering[0];
  if (moment) drawDiets(moment);
  drawNextMeal(now);
  fitNumbers();
}

runScreen({ config, draw });
let resizeTimer = null;
window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(fitNumbers, 150); });
