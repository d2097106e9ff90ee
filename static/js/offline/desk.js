// The reception desk without the network: answers a scan from the local roster at once
// (green with name and room, amber when this tablet — or the server, before the network
// went — already had them, red for a code of nobody or a cancelled registration), says
// so ("offline — wacht op verzending"), and remembers whom this tablet let in today.
// reception.js calls `answer` when the outbox had to keep a scan, `confirm` with every
// answer from the server, and `header` for the words at the top.
import { clock } from "../clock.js";
import { localRoster } from "./roster.js";

// A typed or scanned code as kiosk/registrations/codes.py normalises it.
export function normaliseCode(text) {
  return (text || "").slice(0, 128).trim().toUpperCase().replace(/[ \-_.\t]/g, "")
    .replace(/O/g, "0").replace(/[IL]/g, "1");
}

function today() {
  return (clock.iso() || new Date().toISOString()).slice(0, 10);
}

export function offlineDesk({ rosterUrl, station }) {
  const roster = localRoster({ url: rosterUrl, station });
  // The page says how many people its roster holds (the browser tests wait for it).
  roster.start((size) => { document.documentElement.dataset.roster = String(size); });

  /** The verdict for a (normalised) code the server could not be asked about, or null
   *  when this tablet has no roster yet (then only "kept, sent later" can be said). */
  function answer(code, attendeeId = null, { missing = "unknown" } = {}) {
    if (!roster.loaded) return null;
    const person = attendeeId ? roster.byId(attendeeId) : roster.lookup(normaliseCode(code));
    const base = { offline: true, attendee: person, location: null };
    if (!person) return { ...base, result: missing };
    if (person.status === "cancelled") return { ...base, result: "cancelled" };
    const mark = roster.seenOn(person.id, today());
    const since = (mark && mark.at) || (missing === "unknown" && person.arrived_at);
    if (since) return { ...base, result: "already", first_checkin_at: since };
    roster.markSeen(person.id, today(), clock.hhmm());
    return { ...base, result: "checked_in" };
  }

  /** An answer of the server: whom it checked in here counts as seen by this tablet. */
  function confirm(body) {
    if (body && body.result === "checked_in" && body.attendee && body.attendee.id) {
      roster.markSeen(body.attendee.id, today(), body.first_checkin_at || clock.hhmm());
    }
  }

  /** A walk-in registered offline: green with the name from the form, nothing to print. */
  function walkIn(payload) {
    return { offline: true, result: "checked_in", attendee: {
      first_name: payload.first_name || "", last_name: payload.last_name || "",
      organisation: payload.organisation || "", sessions: [] } };
  }

  /** Name search on the roster, shaped as the server's results (no badge codes: a tap
   *  checks the person in by id). */
  function search(query) {
    return roster.search(query).map((entry) => {
      const mark = roster.seenOn(entry.id, today());
      return { ...entry, code: null, checked_in_at: (mark && mark.at) || entry.arrived_at };
    });
  }

  // The indicator sums every outbox of the page (scans, walk-ins).
  const states = {};
  function combine(name, state) {
    states[name] = state;
    const all = Object.values(states);
    const delivered = all.map((s) => s.delivered).filter(Boolean)
      .reduce((a, b) => (b.at >= (a ? a.at : "") ? { count: b.count + (a ? a.count : 0), at: b.at } : a), null);
    return { online: all.every((s) => s.online), waiting: all.reduce((n, s) => n + s.waiting, 0),
      delivered };
  }

  /** The words of the connection indicator. */
  function header({ online, waiting, delivered }, t) {
    const count = waiting === 1 ? t.waiting_one : t.waiting_many.replace("{n}", waiting);
    if (!online) return { tone: "offline", text: `${t.offline_short}${waiting ? ` — ${count}` : ""}` };
    if (waiting) return { tone: "offline", text: `${t.sending} — ${count}` };
    if (delivered && delivered.count) {
      const sent = (delivered.count === 1 ? t.delivered_one : t.delivered_many)
        .replace("{n}", delivered.count).replace("{time}", delivered.at || "");
      return { tone: "online", text: `${t.online} · ${sent}` };
    }
    return { tone: "online", text: t.online };
  }

  return { roster, answer, confirm, header, search, walkIn, combine };
}
