// The service's event clock as this page knows it (kiosk/clock.py): the time the server last
// told us (ISO 8601 with the event's offset) and how fast its clock runs, moved on by the
// time that passed here since. In a rehearsal at ×20 it moves twenty minutes a minute. The
// device's own clock and time zone are never used for the time of the event: a tablet set
// to another zone, or a laptop whose clock is off, still shows the venue's time.
//
//   import { clock } from "./clock.js";
//   clock.set({ now, speed, rehearsal });  // a snapshot or an API answer (any of the three)
//   clock.minutes();   // minutes since midnight on the event's clock (null: not known yet)
//   clock.iso();       // now, ISO 8601 in UTC (a queued scan's client_time)
//
// Every element with `data-clock-text` shows the time (HH:MM), kept up to date here; the
// page hands the first reading over in `<html data-clock="…">`.

const OFFSET = /([+-])(\d{2}):?(\d{2})$/;
const state = { base: null, offset: 0, at: 0, speed: 1, rehearsal: false };
const listeners = new Set();

function parse(iso) {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const match = OFFSET.exec(iso);
  const offset = match ? (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return { ms, offset };
}

const pad = (n) => String(n).padStart(2, "0");

export const clock = {
  /** Take the server's word for the time; `speed` and `rehearsal` when it says them. */
  set(info) {
    if (!info) return;
    const reading = typeof info.now === "string" ? parse(info.now) : null;
    if (reading) Object.assign(state, { base: reading.ms, offset: reading.offset, at: performance.now() });
    if (typeof info.speed === "number" && info.speed >= 0) state.speed = info.speed;
    if (typeof info.rehearsal === "boolean") state.rehearsal = info.rehearsal;
    if (reading) listeners.forEach((listener) => listener());
  },
  /** The event time as epoch milliseconds, or null before the first reading. */
  ms() {
    return state.base === null ? null : state.base + (performance.now() - state.at) * state.speed;
  },
  /** Minutes since midnight on the event's clock (fractional), or null. */
  minutes() {
    const ms = this.ms();
    if (ms === null) return null;
    return ((((ms / 60000) + state.offset) % 1440) + 1440) % 1440;
  },
  iso() {
    const ms = this.ms();
    return ms === null ? null : new Date(ms).toISOString();
  },
  hhmm() {
    const minutes = this.minutes();
    return minutes === null ? "" : `${pad(Math.floor(minutes / 60))}:${pad(Math.floor(minutes % 60))}`;
  },
  hhmmss() {
    const minutes = this.minutes();
    if (minutes === null) return "";
    return `${this.hhmm()}:${pad(Math.floor((minutes * 60) % 60))}`;
  },
  get speed() { return state.speed; },
  get rehearsal() { return state.rehearsal; },
  /** Real milliseconds in which the event clock moves `eventMs` (long when it stands still). */
  realMs(eventMs) { return state.speed > 0 ? eventMs / state.speed : Infinity; },
  /** Call `listener` whenever the server corrects the clock. */
  onSet(listener) { listeners.add(listener); },
};

function showTime() {
  const text = clock.hhmm();
  for (const element of document.querySelectorAll("[data-clock-text]")) {
    if (text && element.textContent !== text) element.textContent = text;
  }
}

// Tick at least once an event minute, and at least once a real second.
function tick() {
  showTime();
  setTimeout(tick, Math.max(250, Math.min(1000, clock.realMs(60_000))));
}

try {
  clock.set(JSON.parse(document.documentElement.dataset.clock || "null"));
} catch (error) {
  console.error("clock", error);
}
clock.onSet(showTime);
tick();
