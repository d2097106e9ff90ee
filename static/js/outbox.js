// An outbox for scans: each scan gets its scan_id when it is made, is sent at once, and
// when the network is gone it waits in localStorage (surviving a reload or a flat battery)
// and is sent again, in order, until the server has it. The server treats a scan_id it has
// seen as the same scan, so a retry after a lost answer never counts twice. A scan's
// client_time is the service's event time as this tablet knows it (static/js/clock.js):
// in a rehearsal it is the rehearsal's time, and a tablet with a wrong clock does not matter.
import { clock } from "./clock.js";

const RETRY_MS = 3000;
const TIMEOUT_MS = 6000;

export function newScanId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  // crypto.randomUUID needs a secure context; getRandomValues does not.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// Network trouble, or a server that is restarting: worth trying again later.
function retryable(status) {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

export function outbox({ url, onState = () => {}, onDelivered = () => {}, onRejected = () => {},
  storageKey = "kiosk.outbox" }) {
  let pending = load();
  let online = true;
  let flushing = false;
  let timer = null;

  function load() {
    try { return JSON.parse(localStorage.getItem(storageKey)) || []; } catch { return []; }
  }
  function save() {
    try { localStorage.setItem(storageKey, JSON.stringify(pending)); } catch { /* full */ }
    onState({ online, waiting: pending.length });
  }

  async function post(item) {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(url, {
        method: "POST", credentials: "same-origin", signal: controller.signal,
        headers: { "Content-Type": "application/json" }, body: JSON.stringify(item),
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
    if (flushing) return;
    flushing = true;
    try {
      while (pending.length) {
        const { status, body } = await post(pending[0]);
        if (retryable(status)) {
          online = false;
          save();
          scheduleRetry();
          return;
        }
        pending.shift();
        online = true;
        save();
        if (status < 400) onDelivered(body); else onRejected(body);
      }
    } finally {
      flushing = false;
    }
  }

  async function send(payload) {
    const item = { ...payload, scan_id: newScanId(), client_time: clock.iso() || undefined };
    if (pending.length) {  // keep the order: earlier scans go first
      pending.push(item);
      save();
      flush();
      return { queued: true };
    }
    const { status, body } = await post(item);
    if (retryable(status)) {
      pending.push(item);
      online = false;
      save();
      scheduleRetry();
      return { queued: true };
    }
    online = true;
    onState({ online, waiting: pending.length });
    return { ok: status < 400, status, body };
  }

  window.addEventListener("online", flush);
  if (pending.length) flush();
  onState({ online, waiting: pending.length });
  return { send, flush, get waiting() { return pending.length; } };
}
