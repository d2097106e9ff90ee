// An outbox for scans: each scan gets its scan_id when it is made and is sent at once. When
// the server does not answer within FIRST_ANSWER_MS (or the browser knows it is offline),
// the scan waits in IndexedDB (static/js/offline/idb.js: surviving a reload or a flat
// battery) and is sent again, oldest first, one at a time, until the server has it. The
// page answers such a scan from its local roster meanwhile (static/js/offline/desk.js).
// The server treats a scan_id it has seen from this station as the same scan, so a retry
// after a lost answer never counts twice; a scan sent from the outbox says so
// (`offline: true`), and the server then places it at its client_time. A scan's
// client_time is the service's event time as this tablet knows it (static/js/clock.js).
// Scans an older version kept in localStorage are moved into IndexedDB on start.
import { clock } from "./clock.js";
import { openStore } from "./offline/idb.js";

const RETRY_MS = 3000;
const FIRST_ANSWER_MS = 1500;  // a scan at the desk: after this, answer from the roster
const RETRY_TIMEOUT_MS = 8000;  // a queued scan: nobody is waiting for this answer

export function newScanId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; getRandomValues does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Network trouble, or a server that is restarting or cannot write (503): try again later.
function retryable(status) {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

// What is sent: the scan, never the outbox's own bookkeeping.
function wire(item) {
  const { seq, queue, queuedAt, ...scan } = item;
  return scan;
}

export function outbox({ url, onState = () => {}, onDelivered = () => {}, onRejected = () => {},
  storageKey = "kiosk.outbox" }) {
  let pending = [];
  let online = navigator.onLine !== false;
  let flushing = false;
  let timer = null;
  let delivered = null;  // {count, at}: the last batch of waiting scans that went out
  let sentSinceQueue = 0;
  let store = null;

  const loaded = (async () => {
    store = await openStore();
    const kept = (await store.getAll("outbox")).filter((item) => item.queue === storageKey);
    pending = kept.sort((a, b) => a.seq - b.seq);
    await migrateLocalStorage();
  })();

  async function migrateLocalStorage() {
    let old = [];
    try { old = JSON.parse(localStorage.getItem(storageKey)) || []; } catch { old = []; }
    for (const scan of old) await enqueue({ ...scan, offline: true });
    if (old.length) localStorage.removeItem(storageKey);
  }

  function state() {
    onState({ online, waiting: pending.length, delivered });
  }

  async function enqueue(scan) {
    const item = { ...scan, offline: true, queue: storageKey, queuedAt: Date.now() };
    item.seq = await store.put("outbox", item);
    pending.push(item);
    state();
    return item;
  }

  async function post(item, timeoutMs) {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await fetch(url, {
        method: "POST", credentials: "same-origin", signal: controller.signal,
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(wire(item)),
      });
      const body = await response.json().catch(() => ({}));
      if (body && body.now) clock.set({ now: body.now });  // every answer says the time
      return { status: response.status, body };
    } catch {
      return { status: 0, body: null };
    } finally {
      clearTimeout(timeout);
    }
  }

  function scheduleRetry() {
    clearTimeout(timer);
    timer = setTimeout(flush, RETRY_MS);
  }

  async function flush() {
    await loaded;
    if (flushing) return;
    flushing = true;
    try {
      while (pending.length) {
        const item = pending[0];
        const { status, body } = await post(item, RETRY_TIMEOUT_MS);
        if (retryable(status)) {
          online = false;
          state();
          scheduleRetry();
          return;
        }
        await store.delete("outbox", item.seq);
        pending.shift();
        online = true;
        sentSinceQueue += 1;
        if (!pending.length) {
          delivered = { count: sentSinceQueue, at: clock.hhmm() };
          sentSinceQueue = 0;
        }
        state();
        if (status < 400) onDelivered(body, item); else onRejected(body, item);
      }
    } finally {
      flushing = false;
    }
  }

  async function send(payload) {
    await loaded;
    const scan = { ...payload, scan_id: newScanId(), client_time: clock.iso() || undefined };
    // Earlier scans go first, and a browser that knows it is offline does not wait.
    if (pending.length || navigator.onLine === false) {
      if (navigator.onLine === false) online = false;
      const item = await enqueue(scan);
      if (online) flush(); else scheduleRetry();
      return { queued: true, item };
    }
    const { status, body } = await post(scan, FIRST_ANSWER_MS);
    if (retryable(status)) {
      online = false;
      const item = await enqueue(scan);
      scheduleRetry();
      return { queued: true, item, body };  // body: a 503's words (a full disk), or null
    }
    online = true;
    state();
    return { ok: status < 400, status, body };
  }

  window.addEventListener("online", () => { online = true; state(); flush(); });
  window.addEventListener("offline", () => { online = false; state(); });
  loaded.then(() => { state(); if (pending.length) flush(); });
  return { send, flush, loaded, get waiting() { return pending.length; },
    get online() { return online; } };
}
