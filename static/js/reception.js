// The reception desk: every way a badge or a name reaches POST /api/scans, and the answer
// filling the screen for two seconds. Names are only ever set as textContent (markup in a
// name is shown, never run). Scans that cannot be sent wait in localStorage with their
// scan_id and are retried, so a Wi-Fi hiccup neither loses nor doubles a scan.
import { startScanner, attachWedge, isTextField } from "./scanner.js";
import { outbox } from "./outbox.js";
import { connectLive } from "./live.js";
import { offlineDesk } from "./offline/desk.js";

const root = document.getElementById("reception");
const config = JSON.parse(root.dataset.config);
const $ = (id) => document.getElementById(id);
const VERDICT_MS = 2000;

const t = config.strings;  // kiosk/web/i18n.py: Dutch by default, English on request
// Without the network, scans are answered from the local roster (static/js/offline/).
const offline = offlineDesk({ rosterUrl: config.urls.roster, station: config.station });

// --- badge codes, as kiosk/registrations/codes.py writes them ----------------------------------------------
// 16 characters of Crockford's base 32 and a Luhn mod 32 check character.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_SHAPE = /^[0-9A-HJKMNP-TV-Z]{17}$/;

function normaliseCode(text) {
  return text.slice(0, 128).trim().toUpperCase().replace(/[ \-_.\t]/g, "")
    .replace(/O/g, "0").replace(/[IL]/g, "1");
}

function checkCharacter(body) {
  let total = 0;
  let factor = 2;
  for (const ch of [...body].reverse()) {
    const addend = factor * ALPHABET.indexOf(ch);
    total += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return ALPHABET[(32 - (total % 32)) % 32];
}

function isValidCode(code) {
  return CODE_SHAPE.test(code) && checkCharacter(code.slice(0, 16)) === code[16];
}

// A handheld scan that landed in the search field instead of the wedge: 17 code characters
// once spaces and dashes are gone. A 17-letter name without digits ("Marie Van den Broeck")
// has that shape too, so it must also carry a digit or a correct check character.
function scannedIntoSearch(text) {
  const code = text.toUpperCase().replace(/[\s-]/g, "");
  return CODE_SHAPE.test(code) && (/\d/.test(code) || isValidCode(code)) ? code : null;
}

// The same at the end of a field: a scanner types after whatever was already there
// ("jan" left in the search, then "janSM41…").
const CODE_AT_END = /[0-9A-HJKMNP-TV-Z]{17}$/;
function scannedIntoField(text) {
  const found = CODE_AT_END.exec(text.toUpperCase());
  return found && (/\d/.test(found[0]) || isValidCode(found[0])) ? found[0] : null;
}

// --- sound: a short tone per result, made by WebAudio (no files to fetch) -------------------
let audio = null;
function beep(kind) {
  try {
    audio = audio || new AudioContext();
    const tones = { ok: [[880, 0.09], [1320, 0.12]], warn: [[520, 0.18]], bad: [[200, 0.45]] };
    let at = audio.currentTime;
    for (const [freq, length] of tones[kind]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = kind === "bad" ? "square" : "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.25, at);
      gain.gain.exponentialRampToValueAtTime(0.001, at + length);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + length);
      at += length + 0.03;
    }
  } catch (error) {
    console.warn("no sound", error);
  }
}
document.addEventListener("pointerdown", () => audio && audio.resume(), { passive: true });

// --- the verdict: green, amber or red, readable from a metre away --------------------------
const verdict = $("verdict");
const part = (name) => verdict.querySelector(`.verdict-${name}`);
let verdictTimer = null;

// Where to go now: the session of the current (or next) block, else the first one.
function sessionParts(attendee) {
  const sessions = (attendee && attendee.sessions) || [];
  const current = sessions.find((s) => s.block === config.currentBlock) || sessions[0];
  return current ? [`${t.session}:`, current.theme_name, current.room_name && `— ${current.room_name}`]
    .filter(Boolean) : [];
}

function sessionLine(attendee) {
  return sessionParts(attendee).join(" ");
}

// The same line for the verdict: a small label over theme and room, in pieces that never
// break inside ("Zaal / Mercator" reads badly).
function showWhere(element, parts) {
  element.replaceChildren(...parts.flatMap((text, index) => {
    const piece = document.createElement("span");
    piece.textContent = index ? text : text.replace(/:$/, "");
    if (!index) piece.className = "label";
    return index > 1 ? [" ", piece] : [piece];
  }));
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}

// tone (colour), the mark shown large for who cannot tell the colours apart, the title.
const LOOK = {
  checked_in: ["ok", "✓", "checked_in"], checked_out: ["ok", "✓", "checked_out"],
  already: ["warn", "!", "already"], unknown: ["bad", "✕", "unknown"],
  cancelled: ["bad", "✕", "cancelled"], queued: ["queued", "↻", "queued"],
};

// What a verdict says under the name: where to go, since when, or what to do now.
function verdictLines(body, person) {
  switch (body.result) {
    case "already":
      return {
        title: body.first_checkin_at ? capitalise(t.already_at.replace("{time}", body.first_checkin_at))
          : capitalise(t.already_here),
        where: sessionParts(person),
      };
    case "unknown": return { help: t.unknown_help, tap: t.tap_to_search };
    case "cancelled": return { help: t.cancelled_help, tap: t.tap_to_search };
    case "queued": return { help: t.queued_help };
    default: return { where: sessionParts(person) };
  }
}

/**
 * Fill the screen with the answer to a scan. `options.badge` adds a print button (walk-ins
 * and people found by name have no badge yet); such a verdict, like a red one, stays until
 * tapped, because somebody has to act on it.
 */
function showVerdict(body, { badge = null, help = "" } = {}) {
  // Where to send people follows the clock: the morning room until the morning block is
  // over, then the afternoon's (the server says which with every answer).
  if (body.current_block !== undefined) config.currentBlock = body.current_block;
  const [tone, mark, title] = LOOK[body.result] || ["bad", "✕", "error"];
  const person = body.attendee;
  const lines = verdictLines(body, person);
  verdict.className = `verdict ${tone}${badge ? " has-print" : ""}`;
  verdict.dataset.result = body.result;
  part("mark").textContent = mark;
  part("title").textContent = lines.title || t[title];
  verdict.querySelector(".first").textContent = person ? person.first_name : "";
  verdict.querySelector(".last").textContent = person ? person.last_name : "";
  part("org").textContent = person ? person.organisation : "";
  showNote(person);
  showWhere(part("where"), lines.where || []);
  part("help").textContent = help || lines.help || "";
  const print = part("print");
  print.hidden = !badge;
  if (badge) print.href = badge;
  const sticky = tone === "bad" || Boolean(badge);
  part("tap").textContent = sticky ? (lines.tap || t.tap_to_close) : "";
  verdict.hidden = false;
  fitVerdict();
  beep(tone === "queued" ? "warn" : tone);
  clearTimeout(verdictTimer);
  if (!sticky) verdictTimer = setTimeout(hideVerdict, VERDICT_MS);
}

// The organiser's note for the door ("spreker — naar de sprekerstafel", "pers"): a band in a
// colour of its own under the name, so the desk cannot miss it.
function showNote(person) {
  let note = verdict.querySelector(".verdict-note");
  if (!note) {
    note = document.createElement("div");
    note.className = "verdict-note";
    part("org").after(note);
  }
  note.textContent = (person && person.note) || "";
  note.hidden = !note.textContent;
}

// Names (and the room) are shown as large as the screen allows on one line; a long one
// shrinks down to `min` (in rem) and only then wraps.
function fitText(element, min) {
  element.style.fontSize = "";
  element.classList.remove("wrap");
  if (!element.textContent) return;
  let size = parseFloat(getComputedStyle(element).fontSize);
  const floor = min * parseFloat(getComputedStyle(document.documentElement).fontSize);
  while (element.scrollWidth > element.clientWidth + 1 && size > floor) {
    size = Math.max(floor, size * 0.9);
    element.style.fontSize = `${size}px`;
  }
  if (element.scrollWidth > element.clientWidth + 1) element.classList.add("wrap");
}

function fitVerdict() {
  fitText(verdict.querySelector(".first"), 3);
  fitText(verdict.querySelector(".last"), 1.8);
  fitText(part("where"), 1.8);
}

function hideVerdict() {
  clearTimeout(verdictTimer);
  verdict.hidden = true;
  wedge.focus();
}
// Opening the badge PDF changes nothing on the server (a GET); the tap on "print" says the
// badge was printed, so `badges --only-changed` does not print it once more.
part("print").addEventListener("click", (event) => {
  const url = new URL(event.currentTarget.href, location.href);
  postJSON(url.pathname.replace(/\/badge\.pdf$/, "/printed"), {}).catch(() => {});
});
verdict.addEventListener("click", () => {
  const red = verdict.classList.contains("bad");
  hideVerdict();
  clearSearch();  // what was typed before the verdict is stale: the next one starts clean
  if (red) $("search").focus();  // the search is one tap away from a red screen
});

// --- counts and connection state -------------------------------------------------------------
function showCounts(counts) {
  if (!counts) return;
  $("arrived").textContent = counts.arrived;
  $("expected").textContent = counts.expected;
}

// The counter follows the scans of every tablet, not only this one's: the live snapshot
// (Socket.IO /live, reception's cut: the totals) arrives after each committed change.
connectLive({ onSnapshot: (snapshot) => showCounts(snapshot.totals) });

const LATER_WORDS = { checked_in: "checked_in_short", checked_out: "checked_out",
  already: "already", unknown: "unknown", cancelled: "cancelled", undone: "undone" };

let networkDown = false;
function showNet(state) {
  networkDown = !state.online;
  const { tone, text } = offline.header(state, t);
  $("net").className = `net ${tone}`;
  $("net").textContent = text;
}

// --- sending scans ----------------------------------------------------------------------------
const queue = outbox({
  url: config.urls.scan,
  onState: (state) => showNet(offline.combine("scans", state)),
  onDelivered: (body) => {  // a scan that waited: say what it turned out to be
    showCounts(body.counts);
    const who = body.attendee ? `${body.attendee.first_name} ${body.attendee.last_name}` : "";
    const what = t[LATER_WORDS[body.result] || "error"];
    toast(`${t.sent_later}: ${[who, what].filter(Boolean).join(" — ")}`);
  },
  onRejected: (body) => toast(`${t.sent_later}: ${(body && body.message) || t.error}`),
});

let lastCheckIn = null;

async function submitCode(code, { badge = false, attendeeId = null } = {}) {
  code = (code || "").trim();
  if (!code && !attendeeId) return;
  // Offline, a mistyped or forged code is known to be red without asking the server.
  if (!attendeeId && (networkDown || queue.waiting) && !isValidCode(normaliseCode(code))) {
    showVerdict({ result: "unknown" });
    return;
  }
  const outcome = await queue.send(attendeeId ? { attendee_id: attendeeId, location: config.location }
    : { code, location: config.location });
  if (outcome.queued) {
    const local = offline.answer(normaliseCode(code), attendeeId);
    showVerdict(local || { result: "queued" }, local ? { help: t.offline_pending } : {});
    verdict.dataset.offline = local ? "pending" : "";
    // The server's 503 (a full disk), once the verdict has had its two seconds.
    if (outcome.body && outcome.body.message) setTimeout(toast, VERDICT_MS, outcome.body.message);
    return;
  }
  verdict.dataset.offline = "";
  offline.confirm(outcome.body);
  if (!outcome.ok) {
    toast(outcome.body && outcome.body.message ? outcome.body.message : t.error);
    return;
  }
  const body = outcome.body;
  const printable = badge && config.canWalkIn && body.result === "checked_in" && body.attendee;
  showVerdict(body, printable ? { badge: badgeUrl(body.attendee.id), help: t.print_help } : {});
  showCounts(body.counts);
  if (body.result === "checked_in" && body.attendee) rememberCheckIn(body);
  if ($("search").value) runSearch();  // refresh the ticks in the result list
}

// The badge URL of one attendee, from the template's pattern (reception.py does not hand
// one over in config.urls).
function badgeUrl(attendeeId) {
  const pattern = config.urls.badge || root.dataset.badgeUrl;
  return pattern.replace("ATTENDEE_ID", encodeURIComponent(attendeeId));
}

function rememberCheckIn(body) {
  lastCheckIn = { scanId: body.scan_id, name: `${body.attendee.first_name} ${body.attendee.last_name}` };
  const undo = $("undo");
  undo.textContent = `${t.undo}: ${lastCheckIn.name}`;
  undo.hidden = false;
}

// --- camera, handheld scanner, typed code ------------------------------------------------------
const wedge = $("wedge");
attachWedge({ input: wedge, onCode: submitCode });

// Whether a handheld scan lands where it counts: in the wedge, in the search or the
// typed-code field (both recognise a code typed after their text), or on a button (its
// keys go to the wedge). In the walk-in form it would not, so the line says where to tap.
const wedgeState = $("wedge-state");
function showWedgeState() {
  const active = document.activeElement;
  const ready = [wedge, $("search"), $("code-input")].includes(active) || !isTextField(active);
  wedgeState.textContent = ready ? t.wedge_ready : t.wedge_away;
  wedgeState.classList.toggle("ready", ready);
}
document.addEventListener("focusin", showWedgeState);
document.addEventListener("focusout", () => setTimeout(showWedgeState, 0));
wedgeState.addEventListener("click", () => wedge.focus());
showWedgeState();

const cameraState = $("camera-state");
const CAMERA_WORDS = { starting: "camera_starting", scanning: "camera_scanning",
  "no-camera": "camera_none", denied: "camera_denied", error: "camera_error" };
const camera = startScanner({
  video: $("camera"),
  onCode: submitCode,
  onState: (state, detail) => {
    const insecure = state === "no-camera" && detail && detail.reason === "insecure-context";
    const words = insecure ? "camera_insecure" : CAMERA_WORDS[state];
    if (words) cameraState.textContent = t[words];
    root.dataset.camera = insecure ? "insecure" : state;
    $("torch").hidden = !(state === "scanning" && detail && detail.hasTorch);
  },
});
let torchOn = false;
$("torch").addEventListener("click", async () => {
  torchOn = await camera.setTorch(!torchOn) ? !torchOn : torchOn;
  $("torch").classList.toggle("on", torchOn);
});

$("manual").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("code-input");
  submitCode(scannedIntoField(input.value) || input.value);
  input.value = "";
});

// --- undo -------------------------------------------------------------------------------------
$("undo").addEventListener("click", async () => {
  if (!lastCheckIn) return;
  const url = config.urls.undo.replace("SCAN_ID", encodeURIComponent(lastCheckIn.scanId));
  const response = await postJSON(url, {}).catch(() => null);
  if (response && response.ok) {
    const body = await response.json();
    showCounts(body.counts);
    toast(`${t.undone}: ${lastCheckIn.name}`);
    lastCheckIn = null;
    $("undo").hidden = true;
    if ($("search").value) runSearch();
  } else {
    toast(t.error);
  }
});

// --- name search --------------------------------------------------------------------------------
let searchTimer = null;
let searchSerial = 0;
const search = $("search");
search.addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 150);
});
search.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || event.isComposing) return;
  const code = scannedIntoSearch(search.value) || scannedIntoField(search.value);
  if (!code) return;
  event.preventDefault();
  clearSearch();
  submitCode(code);
});

function clearSearch() {
  clearTimeout(searchTimer);
  search.value = "";
  runSearch();  // empties the list, and an answer still on its way is dropped
}

async function runSearch() {
  const query = search.value.trim();
  const serial = ++searchSerial;
  const list = $("results");
  if (query.length < 2) {
    list.replaceChildren();
    return;
  }
  let body;
  try {
    const response = await fetch(`${config.urls.search}?q=${encodeURIComponent(query)}`,
      { credentials: "same-origin" });
    body = await response.json();
    if (!response.ok) throw new Error(response.status);
  } catch (error) {
    body = { results: offline.search(query) };  // offline: the tablet's own roster
  }
  if (serial !== searchSerial) return;  // an older answer arriving late
  list.replaceChildren(...(body.results || []).map(resultItem));
  if (!body.results || !body.results.length) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = t.no_results;
    list.append(empty);
  }
}

function resultItem(person) {
  const item = document.createElement("li");
  item.className = `result ${person.status}`;
  const who = document.createElement("div");
  who.className = "who";
  const name = document.createElement("strong");
  name.textContent = `${person.first_name} ${person.last_name}`;
  const detail = document.createElement("span");
  detail.textContent = [person.organisation, person.function].filter(Boolean).join(" · ");
  const where = document.createElement("span");
  where.className = "where";
  where.textContent = sessionLine(person);
  who.append(name, detail, where);
  if (person.note) who.append(Object.assign(document.createElement("span"), {
    className: "note", textContent: person.note }));
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button checkin";
  if (person.status === "cancelled") {
    button.textContent = t.cancelled_short;
    button.disabled = true;
  } else if (person.checked_in_at) {
    button.textContent = `✓ ${person.checked_in_at}`;
    button.classList.add("done");
  } else {
    button.textContent = t.check_in;
  }
  // Found by name means: no badge in hand. The green answer offers to print one.
  button.addEventListener("click", () => (person.code ? submitCode(person.code, { badge: true })
    : submitCode("", { attendeeId: person.id })));
  item.append(who, button);
  return item;
}

// --- walk-ins -----------------------------------------------------------------------------------
const dialog = $("walkin");
if (dialog) {
  const form = $("walkin-form");
  $("walkin-open").addEventListener("click", () => {
    form.reset();
    $("walkin-error").hidden = true;
    dialog.showModal();
  });
  $("walkin-cancel").addEventListener("click", () => dialog.close());
  // A badge scanned while the form is open lands in one of its fields, and its Enter would
  // register a walk-in called "7KQ2M4XP…". Take it out again and say so instead.
  form.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || field.tagName !== "INPUT" || field.type === "checkbox") return;
    const code = scannedIntoField(field.value);
    if (!code) return;
    event.preventDefault();
    field.value = field.value.slice(0, field.value.length - code.length);
    const error = $("walkin-error");
    error.textContent = t.scanned_in_form;
    error.hidden = false;
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const submit = form.querySelector("[type=submit]");
    submit.disabled = true;  // one walk-in per tap, however impatient the tap
    try {
      await registerWalkIn(form);
    } finally {
      submit.disabled = false;
    }
  });
}

// Walk-ins wait in an outbox of their own when the server does not answer, and are
// registered once when it is back (their scan_id makes a second send the same walk-in).
const walkIns = outbox({
  url: config.urls.walkIn, storageKey: "kiosk.outbox.walkins",
  onState: (state) => showNet(offline.combine("walkins", state)),
  onDelivered: (body) => { showCounts(body.counts); toast(`${t.sent_later}: ${t.walk_in_done}`); },
  onRejected: (body) => toast(`${t.sent_later}: ${(body && body.message) || t.error}`),
});

async function registerWalkIn(form) {
  const error = $("walkin-error");
  const payload = walkInPayload(form);
  const outcome = await walkIns.send(payload);
  if (outcome.queued) {
    dialog.close();
    showVerdict(offline.walkIn(payload), { help: t.offline_pending });
    verdict.dataset.offline = "pending";
    return;
  }
  const body = outcome.body || {};
  if (outcome.status !== 201) {
    error.textContent = body.message || t.error;
    error.hidden = false;
    const field = body.field && form.elements[body.field];
    if (field && field.focus) field.focus();
    return;
  }
  dialog.close();
  // The modal dialog would hide the verdict (it sits in the top layer): close it first.
  showVerdict(body, { badge: body.badge.pdf, help: `${t.walk_in_done}. ${t.print_help}` });
  showCounts(body.counts);
  rememberCheckIn(body);
}

function walkInPayload(form) {
  const data = { sessions: {}, meals: {} };
  for (const element of form.elements) {
    if (!element.name) continue;
    if (element.name.startsWith("session:")) {
      if (element.value) data.sessions[element.name.slice(8)] = element.value;
    } else if (element.name.startsWith("meal:")) {
      data.meals[element.name.slice(5)] = element.checked;
    } else {
      data[element.name] = element.value;
    }
  }
  return data;
}

// --- helpers ------------------------------------------------------------------------------------
function postJSON(url, payload) {
  return fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
  });
}

let toastTimer = null;
function toast(message) {
  const box = $("toast");
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
}

window.kioskReception = { submitCode };  // for the browser tests and the console
