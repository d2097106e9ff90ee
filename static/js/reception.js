// The reception desk: every way a badge or a name reaches POST /api/scans, and the answer
// filling the screen for two seconds. Names are only ever set as textContent (markup in a
// name is shown, never run). Scans that cannot be sent wait in localStorage with their
// scan_id and are retried, so a Wi-Fi hiccup neither loses nor doubles a scan.
import { startScanner, attachWedge } from "./scanner.js";
import { outbox } from "./outbox.js";

const root = document.getElementById("reception");
const config = JSON.parse(root.dataset.config);
const t = config.strings;
const $ = (id) => document.getElementById(id);
const VERDICT_MS = 2000;

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
let verdictTimer = null;

function sessionLine(attendee) {
  const sessions = attendee.sessions || [];
  const current = sessions.find((s) => s.block === config.currentBlock) || sessions[0];
  if (!current) return "";
  return `${t.session}: ${current.theme_name}${current.room_name ? " — " + current.room_name : ""}`;
}

const LOOK = {
  checked_in: ["ok", "checked_in"], checked_out: ["ok", "checked_out"],
  already: ["warn", "already"], unknown: ["bad", "unknown"], cancelled: ["bad", "cancelled"],
  queued: ["queued", "offline"],
};

function showVerdict(body) {
  const [tone, title] = LOOK[body.result] || ["bad", "error"];
  const person = body.attendee;
  verdict.className = `verdict ${tone}`;
  verdict.dataset.result = body.result;
  verdict.querySelector(".verdict-title").textContent = t[title];
  verdict.querySelector(".first").textContent = person ? person.first_name : "";
  verdict.querySelector(".last").textContent = person ? person.last_name : "";
  verdict.querySelector(".verdict-org").textContent = person ? person.organisation : "";
  let where = person ? sessionLine(person) : "";
  let help = "";
  if (body.result === "already") {
    where = body.first_checkin_at ? t.already_at.replace("{time}", body.first_checkin_at)
      : t.already_here;
  } else if (body.result === "unknown") {
    help = t.unknown_help;
  } else if (body.result === "cancelled") {
    help = t.cancelled_help;
  }
  verdict.querySelector(".verdict-where").textContent = where;
  verdict.querySelector(".verdict-help").textContent = help;
  verdict.hidden = false;
  beep(tone === "queued" ? "warn" : tone);
  clearTimeout(verdictTimer);
  // Red stays until tapped: somebody has to act on it.
  if (tone !== "bad") verdictTimer = setTimeout(hideVerdict, VERDICT_MS);
}

function hideVerdict() {
  verdict.hidden = true;
  wedge.focus();
}
verdict.addEventListener("click", () => {
  const red = verdict.classList.contains("bad");
  hideVerdict();
  if (red) $("search").focus();  // the search is one tap away from a red screen
});

// --- counts and connection state -------------------------------------------------------------
function showCounts(counts) {
  if (!counts) return;
  $("arrived").textContent = counts.arrived;
  $("expected").textContent = counts.expected;
}

function showNet(online, waiting) {
  const net = $("net");
  net.className = `net ${online && !waiting ? "online" : "offline"}`;
  net.textContent = online && !waiting ? t.online
    : `${t.offline}${waiting ? ` · ${waiting} ${t.waiting}` : ""}`;
}

// --- sending scans ----------------------------------------------------------------------------
const queue = outbox({
  url: config.urls.scan,
  onState: ({ online, waiting }) => showNet(online, waiting),
  onDelivered: (body) => showCounts(body.counts),
});

let lastCheckIn = null;

async function submitCode(code) {
  code = (code || "").trim();
  if (!code) return;
  const outcome = await queue.send({ code, location: config.location });
  if (outcome.queued) {
    showVerdict({ result: "queued" });
    return;
  }
  if (!outcome.ok) {
    toast(outcome.body && outcome.body.message ? outcome.body.message : t.error);
    return;
  }
  const body = outcome.body;
  showVerdict(body);
  showCounts(body.counts);
  if (body.result === "checked_in" && body.attendee) {
    lastCheckIn = { scanId: body.scan_id, name: `${body.attendee.first_name} ${body.attendee.last_name}` };
    const undo = $("undo");
    undo.textContent = `${t.undo}: ${lastCheckIn.name}`;
    undo.hidden = false;
  }
  if ($("search").value) runSearch();  // refresh the ticks in the result list
}

// --- camera, handheld scanner, typed code ------------------------------------------------------
const wedge = $("wedge");
attachWedge({ input: wedge, onCode: submitCode });

const cameraState = $("camera-state");
const CAMERA_WORDS = { starting: "camera_starting", scanning: "camera_scanning",
  "no-camera": "camera_none", denied: "camera_denied", error: "camera_error" };
const camera = startScanner({
  video: $("camera"),
  onCode: submitCode,
  onState: (state, detail) => {
    if (CAMERA_WORDS[state]) cameraState.textContent = t[CAMERA_WORDS[state]];
    root.dataset.camera = state;
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
  submitCode(input.value);
  input.value = "";
});

// --- undo -------------------------------------------------------------------------------------
$("undo").addEventListener("click", async () => {
  if (!lastCheckIn) return;
  const url = config.urls.undo.replace("SCAN_ID", encodeURIComponent(lastCheckIn.scanId));
  const response = await postJSON(url, {});
  if (response.ok) {
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
$("search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(runSearch, 150);
});

async function runSearch() {
  const query = $("search").value.trim();
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
  } catch (error) {
    return;  // offline: the net indicator already says so
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
  detail.textContent = [person.organisation, person.function, sessionLine(person)]
    .filter(Boolean).join(" · ");
  who.append(name, detail);
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
  button.addEventListener("click", () => submitCode(person.code));
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
    $("walkin-done").hidden = true;
    dialog.showModal();
  });
  $("walkin-cancel").addEventListener("click", () => dialog.close());
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await postJSON(config.urls.walkIn, walkInPayload(form));
    const body = await response.json().catch(() => ({}));
    if (response.status !== 201) {
      const error = $("walkin-error");
      error.textContent = body.message || t.error;
      error.hidden = false;
      const field = body.field && form.elements[body.field];
      if (field && field.focus) field.focus();
      return;
    }
    showVerdict(body);
    showCounts(body.counts);
    $("walkin-badge").href = body.badge.pdf;
    $("walkin-done").hidden = false;
    $("walkin-error").hidden = true;
  });
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
