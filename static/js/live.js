// Live headcounts for the screens: one Socket.IO connection to the namespace /live.
//
//   import { connectLive } from "./live.js";
//   const live = connectLive({ onSnapshot: (snapshot) => …, onStatus: (status) => … });
//
// The server sends a full snapshot right after connecting and after every committed change,
// each with a strictly increasing `seq` (see kiosk/web/live.py). Every event is the whole
// picture, so a missed one costs nothing: we only make sure an older one never overwrites a
// newer one. A reconnect (Wi-Fi back, server restarted) brings a fresh snapshot by itself.
// We ask for deltas: after a first full snapshot of a round the server sends only what
// changed (`headcounts_delta`, a patch on the round before; kiosk/headcounts/deltas.py).
// A patch that does not fit what we hold makes us ask for the full picture again.
//
// Status: "online" (connected), "offline" (connection lost), "reconnecting" (trying again).
import { io } from "../vendor/socket.io-client/socket.io.esm.min.js";
import { clock } from "./clock.js";

const NAMESPACE = "/live";
// Stations count as offline on the organiser's overview after two minutes without contact;
// a screen only listens, so it says hello now and then (GET /api/me records the contact).
const KEEPALIVE_MS = 45_000;

export function connectLive({
  onSnapshot, onStatus = () => {}, keepAliveUrl = null, onUnpaired = null, auth = undefined,
} = {}) {
  let lastSeq = -1;
  let base = null; // the server's last broadcast as we rebuilt it: what its patches apply to
  let retryTimer = null;

  const socket = io(NAMESPACE, {
    // The paired session cookie authenticates us (same origin); WebSocket first, long
    // polling when a proxy on the venue network blocks WebSockets.
    transports: ["websocket", "polling"],
    tryAllTransports: true,
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000, // a screen should be back within seconds of the Wi-Fi
    auth: { ...(auth || {}), deltas: true }, // e.g. {room: "zaal-3"}: one room, as its host
  });

  // `answer`: a reply to our own question is at least as new as the last event applied,
  // even with the same seq (it was computed after it).
  function apply(snapshot, answer = false) {
    if (!snapshot || typeof snapshot.seq !== "number") return;
    if (snapshot.seq < lastSeq || (snapshot.seq === lastSeq && !answer)) return;
    lastSeq = snapshot.seq;
    clock.set(snapshot);  // every snapshot carries the service's event time and speed
    try { onSnapshot(snapshot); } catch (error) { console.error(error); }
  }

  function status(value) {
    try { onStatus(value); } catch (error) { console.error(error); }
  }

  socket.on("headcounts", (snapshot) => { base = snapshot; apply(snapshot); });
  socket.on("headcounts_delta", (delta) => {
    if (!base || !delta || delta.base !== base.seq) { resync(); return; }
    base = applyPatch(base, delta.patch);
    apply(base);
  });
  // The welcome snapshot is delivered before "connect" fires, so the sequence is reset on
  // disconnect, not on connect: a restarted server counts from zero again.
  socket.on("connect", () => status("online"));
  socket.on("disconnect", (reason) => {
    lastSeq = -1;
    base = null;
    status("offline");
    // The server closed this connection on purpose: socket.io does not retry by itself.
    if (reason === "io server disconnect") retryLater();
  });
  socket.io.on("reconnect_attempt", () => status("reconnecting"));
  socket.on("connect_error", () => {
    status(socket.active ? "reconnecting" : "offline");
    // Refused: the station may have been revoked (then say so), else try again, calmly.
    if (!socket.active) { checkPaired(); retryLater(); }
  });

  // Says hello (the organiser sees the screen's last contact) and notices a revoked
  // station, whose screen would otherwise retry for ever with old numbers on it.
  async function checkPaired() {
    if (!keepAliveUrl) return;
    try {
      const answer = await fetch(keepAliveUrl, { credentials: "same-origin", cache: "no-store" });
      if (answer.status === 401 && onUnpaired) { close(); onUnpaired(); }
    } catch { /* the network: the socket's own retries cover that */ }
  }

  function retryLater() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => { if (!socket.connected) socket.connect(); }, 5000);
  }

  // Back from a sleeping tablet or a hidden tab: ask for the picture now rather than wait.
  function refresh() {
    if (!socket.connected) return;
    socket.timeout(5000).emit("snapshot", null, (error, snapshot) => {
      if (!error && snapshot && !snapshot.error) apply(snapshot, true);
    });
  }
  document.addEventListener("visibilitychange", () => { if (!document.hidden) refresh(); });

  // Lost track of the patches: the full picture now, full snapshots until the next round.
  function resync() {
    base = null;
    if (!socket.connected) return;
    socket.timeout(5000).emit("snapshot", { resync: true }, (error, snapshot) => {
      if (!error && snapshot && !snapshot.error) apply(snapshot, true);
    });
  }

  const keepAlive = keepAliveUrl ? setInterval(checkPaired, KEEPALIVE_MS) : null;
  function close() {
    clearInterval(keepAlive);
    clearTimeout(retryTimer);
    socket.close();
  }

  status("reconnecting");
  return { socket, refresh, close };
}

/**
 * A patch from kiosk/headcounts/deltas.py applied to `old` (left as it was): {"$": value}
 * replaces, {"$d": {key: patch}} changes keys of a dict, {"$l": {index: patch}} items of a
 * list of the same length; null changes nothing.
 */
export function applyPatch(old, patch) {
  if (patch === null || patch === undefined) return old;
  if ("$" in patch) return patch.$;
  if ("$d" in patch) {
    const result = { ...old };
    for (const [key, part] of Object.entries(patch.$d)) result[key] = applyPatch(old[key], part);
    return result;
  }
  const result = old.slice();
  for (const [index, part] of Object.entries(patch.$l)) {
    result[Number(index)] = applyPatch(old[Number(index)], part);
  }
  return result;
}

// --- small helpers the three screens share -------------------------------------------------

/** The element with this id (screens are built from their template, not from scratch). */
export const $ = (id) => document.getElementById(id);

/** Set text only when it changed: no flicker, and markup in names is always just text. */
export function setText(element, value) {
  const text = value === null || value === undefined ? "" : String(value);
  if (element && element.textContent !== text) element.textContent = text;
}

/** A new element with a class and text content; never innerHTML. */
export function el(tag, className = "", text = null) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== null && text !== undefined) node.textContent = String(text);
  return node;
}

/** The page's configuration, handed over by the template in data-config. */
export function pageConfig(id) {
  return JSON.parse(document.getElementById(id).dataset.config);
}

/**
 * The connection banner and pill every screen has: a red banner while the connection is
 * lost, a green "weer verbonden" for a few seconds once it is back.
 */
export function connectionIndicator({ banner, pill, updated }) {
  let lost = false;
  let hideTimer = null;
  const words = {
    online: "Verbonden", offline: "Verbinding verbroken", reconnecting: "Verbinden…",
  };
  function show(status) {
    document.body.dataset.connection = status;
    if (pill) {
      pill.className = `pill ${status}`;
      setText(pill, words[status] || status);
    }
    clearTimeout(hideTimer);
    if (status === "online") {
      if (lost) {
        banner.className = "banner back";
        setText(banner.querySelector(".banner-title"), "Weer verbonden");
        setText(banner.querySelector(".banner-help"), "De cijfers zijn weer actueel.");
        banner.hidden = false;
        hideTimer = setTimeout(() => { banner.hidden = true; }, 4000);
      } else {
        banner.hidden = true;
      }
      lost = false;
      return;
    }
    if (status === "offline" || (status === "reconnecting" && lost)) {
      lost = true;
      banner.className = "banner lost";
      setText(banner.querySelector(".banner-title"), "Verbinding verbroken");
      const since = updated && updated.dataset.at ? ` sinds ${updated.dataset.at}` : "";
      setText(banner.querySelector(".banner-help"),
        `De cijfers zijn niet meer actueel${since}. Het scherm verbindt opnieuw zodra het kan.`);
      banner.hidden = false;
    }
  }
  return { show };
}

/** "bijgewerkt 10:42:07": when the last snapshot arrived, on the event's clock. */
export function markUpdated(element) {
  if (!element) return;
  element.dataset.at = clock.hhmm();
  setText(element, `bijgewerkt ${clock.hhmmss()}`);
}

/**
 * Shrink an element's font until its text fits on one line (it must not wrap: give it
 * white-space: nowrap), never below `minPx`. Big numbers on a TV: as big as the box allows.
 */
export function fitText(element, minPx = 12) {
  if (!element) return;
  element.style.fontSize = "";
  let size = parseFloat(getComputedStyle(element).fontSize);
  while (element.scrollWidth > element.clientWidth + 1 && size > minPx) {
    size = Math.max(minPx, size * 0.9);
    element.style.fontSize = `${size}px`;
  }
}

/** 570.4 -> "09:30" */
export function hhmm(minutes) {
  const m = Math.floor(minutes);
  return `${String(Math.floor(m / 60) % 24).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** "09:30" -> 570 */
export function toMinutes(hhmm) {
  const [h, m] = String(hhmm).split(":").map(Number);
  return h * 60 + m;
}

/** 95 -> "1 u 35 min", 12 -> "12 min" */
export function duration(minutes) {
  const total = Math.max(0, Math.ceil(minutes));
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (!h) return `${m} min`;
  return m ? `${h} u ${m} min` : `${h} u`;
}

/**
 * Run a screen: draw the snapshot the page came with, connect, redraw on every snapshot
 * and as the clock moves (every `redrawMs`, and at least every event minute on a fast
 * rehearsal clock), show the connection. `draw(snapshot, now)` gets the event's time in
 * minutes since midnight (kiosk's clock, static/js/clock.js; null before it is known).
 */
export function runScreen({ config, draw, redrawMs = 15_000 }) {
  let latest = config.snapshot;
  const indicator = connectionIndicator({ banner: $("banner"), pill: $("pill"), updated: $("updated") });

  function render() {
    try { draw(latest, clock.minutes()); } catch (error) { console.error(error); }
  }
  function receive(snapshot) {
    latest = snapshot;
    clock.set(snapshot);
    render();
  }
  function redrawLater() {
    setTimeout(() => { render(); redrawLater(); },
      Math.max(1000, Math.min(redrawMs, clock.realMs(60_000))));
  }

  // The organiser's room picker (in the bar): a link per room.
  const picker = $("room-pick");
  if (picker) picker.addEventListener("change", () => { if (picker.value) location.assign(picker.value); });

  receive(latest);
  const live = connectLive({
    onSnapshot(snapshot) { receive(snapshot); markUpdated($("updated")); },
    onStatus: indicator.show,
    keepAliveUrl: config.urls && config.urls.me,
    auth: config.liveAuth,
    // Unpaired (revoked by the organiser): to the start page, which says how to pair again.
    onUnpaired: () => location.assign(config.urls.home || "/"),
  });
  redrawLater();
  return { render, live, get latest() { return latest; } };
}
