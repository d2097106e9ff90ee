// The station's local roster (GET /api/roster, kiosk/web/offline.py), kept in IndexedDB:
// who is expected, their sessions and rooms, whether they arrived, and their badge code
// only as SHA-256 of the server's salt and the code. Refreshed while online with the
// changes since the version it has; a different station, salt or a "full" answer starts
// it anew. In memory as well, so a scan is answered without waiting for the database.
import { openStore } from "./idb.js";
import { sha256hex } from "./sha256.js";

const REFRESH_MS = 30000;
const FETCH_TIMEOUT_MS = 8000;

export function fold(text) {
  return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, " ").trim();
}

export function localRoster({ url, station }) {
  const byId = new Map();
  const byHash = new Map();
  const seen = new Map();  // attendee id -> {id, day, at}: checked in at this tablet
  let meta = { version: 0, salt: null, station: null, refreshedAt: null };
  let store = null;
  let timer = null;

  function index(entry) {
    byId.set(entry.id, entry);
    byHash.set(entry.h, entry);
  }
  function forget(id) {
    const old = byId.get(id);
    if (old) byHash.delete(old.h);
    byId.delete(id);
  }

  const ready = (async () => {
    store = await openStore();
    meta = { ...meta, ...((await store.get("meta", "roster")) || {}) };
    if (meta.station !== station) {  // another station on this device: not its roster
      meta = { version: 0, salt: null, station, refreshedAt: null };
      await store.clear("roster");
      await store.clear("seen");
    } else {
      for (const entry of await store.getAll("roster")) index(entry);
      for (const mark of await store.getAll("seen")) seen.set(mark.id, mark);
    }
  })();

  async function refresh() {
    await ready;
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    let body;
    try {
      const since = meta.salt ? meta.version : 0;
      const response = await fetch(`${url}?since=${since}`,
        { credentials: "same-origin", signal: controller.signal });
      if (!response.ok) return false;
      body = await response.json();
    } catch {
      return false;  // offline: keep what we have
    } finally {
      clearTimeout(timeout);
    }
    const fresh = body.full || body.salt !== meta.salt;
    if (fresh) {
      byId.clear();
      byHash.clear();
      await store.clear("roster");
    }
    const gone = body.entries.filter((e) => e.gone).map((e) => e.id);
    const entries = body.entries.filter((e) => !e.gone);
    for (const id of gone) forget(id);
    for (const entry of entries) { forget(entry.id); index(entry); }
    await store.putMany("roster", entries, gone);
    meta = { version: body.version, salt: body.salt, station, refreshedAt: Date.now() };
    await store.put("meta", meta, "roster");
    return true;
  }

  /** Refresh now, every REFRESH_MS while online, and when the network is back;
   *  `onRefresh(size)` after each refresh that reached the server. */
  function start(onRefresh = () => {}) {
    const again = async () => { if (await refresh()) onRefresh(byId.size); };
    clearInterval(timer);
    timer = setInterval(() => { if (navigator.onLine) again(); }, REFRESH_MS);
    window.addEventListener("online", again);
    ready.then(() => { if (byId.size) onRefresh(byId.size); });
    return again();
  }

  // The person holding a (normalised) badge code, or null when it is nobody's.
  function lookup(code) {
    if (!meta.salt) return null;
    return byHash.get(sha256hex(meta.salt + code)) || null;
  }

  async function markSeen(id, day, at) {
    const mark = { id, day, at };
    seen.set(id, mark);
    await ready;
    await store.put("seen", mark);
  }

  function seenOn(id, day) {
    const mark = seen.get(id);
    return mark && mark.day === day ? mark : null;
  }

  // Name search on the roster: every word of the query starts a word of the name.
  function search(query, limit = 8) {
    const words = fold(query).split(" ").filter(Boolean);
    if (!words.length) return [];
    const found = [];
    for (const entry of byId.values()) {
      const name = fold(`${entry.first_name} ${entry.last_name} ${entry.organisation}`).split(" ");
      if (words.every((w) => name.some((part) => part.startsWith(w)))) found.push(entry);
      if (found.length >= limit) break;
    }
    return found.sort((a, b) => fold(a.last_name).localeCompare(fold(b.last_name)));
  }

  return {
    ready, refresh, start, lookup, markSeen, seenOn, search,
    byId: (id) => byId.get(id) || null,
    get size() { return byId.size; },
    get loaded() { return Boolean(meta.salt); },
  };
}
