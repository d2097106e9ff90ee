// The self check-in kiosk. A guest scans their badge (camera) or types their name and taps
// themselves among at most a few matches; the answer fills the screen and goes away by
// itself. The page is locked: no links out, the back button stays here, no context menu;
// staff leave with the PIN (the server checks it and unpairs the tablet). Names are only
// ever set as textContent.
import { startScanner } from "./scanner.js";
import { newScanId } from "./outbox.js";

const root = document.getElementById("kiosk");
const config = JSON.parse(root.dataset.config);
const $ = (id) => document.getElementById(id);
const ANSWER_MS = (config.answerSeconds || 8) * 1000;  // a welcome (a tap closes it sooner)
const HELP_MS = ANSWER_MS * 1.5;  // "go to reception" a little longer
const IDLE_MS = 20000;  // typed and walked away: back to the start
const PRINT_POLL_MS = 1000;

let lang = config.lang === "en" ? "en" : "nl";
const t = (key, values = {}) => (config.strings[lang][key] || key)
  .replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");

// --- words in the current language ------------------------------------------------------------
function applyLanguage() {
  document.documentElement.lang = lang;
  for (const element of root.querySelectorAll("[data-t]")) element.textContent = t(element.dataset.t);
  for (const element of root.querySelectorAll("[data-t-placeholder]")) {
    element.placeholder = t(element.dataset.tPlaceholder);
  }
}
$("lang").addEventListener("click", () => {
  lang = lang === "nl" ? "en" : "nl";
  applyLanguage();
  touch();
});

// --- locked: stay on this page -----------------------------------------------------------------
history.pushState({ kiosk: true }, "", location.href);
window.addEventListener("popstate", () => history.pushState({ kiosk: true }, "", location.href));
document.addEventListener("contextmenu", (event) => event.preventDefault());
document.addEventListener("pointerdown", () => {
  // Full screen on the first tap (browsers only allow it after a gesture).
  if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => {});
  }
}, { once: true });

// --- idle: back to the start -------------------------------------------------------------------
let idleTimer = null;
function touch() {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(reset, IDLE_MS);
}
document.addEventListener("pointerdown", touch, { passive: true });
document.addEventListener("keydown", touch);

function reset() {
  clearTimeout(idleTimer);
  clearTimeout(answerTimer);
  printWatch = null;
  $("answer").hidden = true;
  $("home").hidden = false;
  $("name").value = "";
  $("matches").replaceChildren();
  $("find-state").textContent = "";
  root.dataset.screen = "home";
  if (lang !== config.lang) {
    lang = config.lang === "en" ? "en" : "nl";
    applyLanguage();
  }
  if ($("pin-dialog").open) $("pin-dialog").close();
  $("name").focus();
}

// --- asking the server ---------------------------------------------------------------------------
async function post(url, payload) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload),
  });
  const body = await response.json().catch(() => ({}));
  return { status: response.status, body };
}

// --- typing a name -------------------------------------------------------------------------------
const CODE = /^[0-9A-HJKMNP-TV-Z]{17}$/;
function looksLikeCode(text) {  // a handheld scanner typed into the name field
  const code = text.toUpperCase().replace(/[\s-]/g, "");
  return CODE.test(code) && /\d/.test(code) ? code : null;
}

let findTimer = null;
let findSerial = 0;
$("name").addEventListener("input", () => {
  clearTimeout(findTimer);
  findTimer = setTimeout(find, 250);
});
$("find").addEventListener("submit", (event) => {
  event.preventDefault();
  const code = looksLikeCode($("name").value);
  if (code) {
    $("name").value = "";
    checkIn({ code });
  } else {
    find();
  }
});

async function find() {
  const query = $("name").value.trim();
  const serial = ++findSerial;
  const list = $("matches");
  const state = $("find-state");
  if (query.length < 2 || looksLikeCode(query)) {
    list.replaceChildren();
    state.textContent = "";
    return;
  }
  let answer;
  try {
    answer = await post(config.urls.find, { q: query });
  } catch (error) {
    state.textContent = t("offline");
    return;
  }
  if (serial !== findSerial) return;  // an older answer arriving late
  const results = answer.body.results || [];
  list.replaceChildren(...results.map(matchButton));
  if (answer.body.too_many) state.textContent = t("too_many", { n: 4 });
  else if (!results.length) state.textContent = `${t("none_found")} ${t("not_found_help")}`;
  else state.textContent = t("pick");
}

function matchButton(person) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "kiosk-match";
  const name = document.createElement("strong");
  name.textContent = `${person.first_name} ${person.last_name}`;
  const org = document.createElement("span");
  org.textContent = person.organisation || "";
  button.append(name, org);
  button.addEventListener("click", () => checkIn({ attendee_id: person.id }));
  item.append(button);
  return item;
}

// --- checking in ------------------------------------------------------------------------------
let busy = false;
async function checkIn(what) {
  if (busy) return;
  busy = true;
  try {
    const answer = await post(config.urls.checkIn, { ...what, scan_id: newScanId() });
    if (answer.status !== 200) showHelp(t("error"));
    else showAnswer(answer.body);
  } catch (error) {
    showHelp(t("offline"));
  } finally {
    busy = false;
  }
}

let answerTimer = null;
let printWatch = null;

function where(attendee, currentBlock) {
  const sessions = (attendee && attendee.sessions) || [];
  return sessions.find((s) => s.block === currentBlock) || sessions[0] || null;
}

function fill({ tone, mark, title, org = "", session = null, note = "", print = "" }) {
  const answer = $("answer");
  answer.className = `kiosk-answer ${tone}`;
  answer.querySelector(".answer-mark").textContent = mark;
  answer.querySelector(".answer-title").textContent = title;
  answer.querySelector(".answer-org").textContent = org;
  const place = answer.querySelector(".answer-where");
  place.hidden = !session;
  if (session) {
    answer.querySelector(".answer-where-label").textContent = t("session");
    // Theme and room each in one piece: "Zaal / Mercator" on two lines reads badly.
    const parts = [session.theme_name, session.room_name].filter(Boolean).map((text) => {
      const piece = document.createElement("span");
      piece.textContent = text;
      return piece;
    });
    answer.querySelector(".answer-where-text")
      .replaceChildren(...parts.flatMap((piece, i) => (i ? [" — ", piece] : [piece])));
  }
  answer.querySelector(".answer-note").textContent = note;
  answer.querySelector(".answer-print").textContent = print;
  $("home").hidden = true;
  answer.hidden = false;
  root.dataset.screen = tone;
}

function showAnswer(body) {
  const person = body.attendee;
  if (body.result === "checked_in" || body.result === "already") {
    const session = where(person, body.current_block);
    const fresh = body.result === "checked_in";
    fill({
      tone: "ok", mark: "✓",
      title: t(fresh ? "welcome" : "welcome_back", { name: person.first_name }),
      org: person.organisation,
      session,
      note: fresh ? (session ? "" : t("no_session")) : t("already", { time: body.first_checkin_at || "" }),
      print: body.print_job ? t("printing") : "",
    });
    if (body.print_job) watchPrint(body.print_job.id);
    stay(ANSWER_MS);
  } else {
    showHelp(body.result === "cancelled" ? t("cancelled") : t("unknown"));
  }
}

function showHelp(reason) {
  fill({ tone: "help", mark: "i", title: t("to_reception"), note: `${reason} ${t("reception_help")}` });
  stay(HELP_MS);
}

function stay(ms) {
  clearTimeout(answerTimer);
  clearTimeout(idleTimer);
  answerTimer = setTimeout(reset, ms);
}
$("answer-done").addEventListener("click", reset);

// The print's progress, for as long as the welcome is up.
async function watchPrint(jobId) {
  const watch = printWatch = {};
  const url = config.urls.job.replace("JOB_ID", encodeURIComponent(jobId));
  while (printWatch === watch) {
    await new Promise((resolve) => setTimeout(resolve, PRINT_POLL_MS));
    if (printWatch !== watch) return;
    const response = await fetch(url, { credentials: "same-origin" }).catch(() => null);
    const job = response && response.ok ? await response.json() : null;
    if (!job) continue;
    const line = $("answer").querySelector(".answer-print");
    if (job.state === "done") {
      line.textContent = t("printed");
      return;
    }
    if (job.state === "failed" || job.state === "cancelled") {
      line.textContent = t("print_failed");
      stay(HELP_MS);
      return;
    }
  }
}

// --- the camera ---------------------------------------------------------------------------------
const box = $("camera-box");
startScanner({
  video: $("camera"),
  onCode: (code) => { if ($("answer").hidden) checkIn({ code }); },
  onState: (state) => { box.dataset.state = state; },
});

// --- staff: the PIN leaves kiosk mode -----------------------------------------------------------
const dialog = $("pin-dialog");
const pinInput = $("pin");
$("staff").addEventListener("click", () => {
  pinInput.value = "";
  $("pin-error").textContent = "";
  dialog.showModal();
  pinInput.focus();
});
$("pin-cancel").addEventListener("click", () => { dialog.close(); reset(); });
for (const key of dialog.querySelectorAll(".pin-key")) {
  key.addEventListener("click", () => {
    if (key.dataset.key === "⌫") pinInput.value = pinInput.value.slice(0, -1);
    else if (key.dataset.key === "OK") $("pin-form").requestSubmit();
    else if (pinInput.value.length < 8) pinInput.value += key.dataset.key;
  });
}
$("pin-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await post(config.urls.leave, { pin: pinInput.value }).catch(() => null);
  pinInput.value = "";
  if (answer && answer.status === 200 && answer.body.left) {
    location.replace(answer.body.next);  // replace: the back button cannot return here
    return;
  }
  $("pin-error").textContent = answer && answer.status === 429 ? t("pin_locked") : t("pin_wrong");
  dialog.classList.remove("shake");
  void dialog.offsetWidth;  // restart the animation
  dialog.classList.add("shake");
});
// A PIN dialog left open goes away too.
dialog.addEventListener("close", () => touch());

applyLanguage();
reset();
window.kioskSelfCheckIn = { reset, checkIn };  // for the browser tests and the console
