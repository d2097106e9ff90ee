// The room host's screen: how full the room is against its capacity, the session running in
// it, who is expected (with a tick for those on site and those in the room), and which
// besturen are in. On a host's tablet at the door, a handheld scanner scans people in.
import { $, el, pageConfig, runScreen, setText } from "./live.js";
import { attachWedge } from "./scanner.js";
import { outbox } from "./outbox.js";
import { offlineDesk } from "./offline/desk.js";

const config = pageConfig("screen");
const room = config.room;
const NEARLY_FULL = 0.85;
let chosenBlock = null; // null: follow the block that is on now
let screen = null;

// The room's session for the chosen block, else the one on now, else the day's last one.
function pickEntry(entries) {
  return entries.find((r) => r.block === chosenBlock)
    || entries.find((r) => r.current)
    || entries[entries.length - 1] || null;
}

function drawTabs(entries, entry) {
  const tabs = $("block-tabs");
  tabs.hidden = entries.length < 2;
  tabs.replaceChildren(...entries.map((r) => {
    const button = el("button", r === entry ? "on" : "", r.block_name + (r.current ? " · nu" : ""));
    button.type = "button";
    button.addEventListener("click", () => { chosenBlock = r.block; screen.render(); });
    return button;
  }));
}

function drawSession(entry) {
  if (!entry) {
    setText($("theme"), room.name);
    setText($("block-line"), "Geen werksessie in deze zaal.");
    return;
  }
  const block = config.blocks.find((b) => b.id === entry.block);
  const when = block && block.start ? ` · ${block.start}–${block.end}` : "";
  setText($("theme"), entry.theme_name);
  setText($("block-line"), `Werksessie ${entry.block_name.toLowerCase()}${when}${entry.current ? "" : " (niet nu)"}`);
}

function roomState(present, capacity) {
  if (!capacity) return "unknown";
  const share = present / capacity;
  return share >= 1 ? "full" : share >= NEARLY_FULL ? "nearly" : "ok";
}

function drawOccupancy(present, capacity, expected) {
  setText($("present"), present);
  setText($("capacity-line"), capacity ? `van ${capacity} plaatsen` : "in de zaal");
  const state = roomState(present, capacity);
  const free = capacity - present;
  $("occupancy").dataset.state = state;
  setText($("room-state"), {
    full: present > capacity ? `Zaal vol: ${present - capacity} te veel` : "Zaal vol",
    nearly: `Zaal bijna vol: nog ${free} ${free === 1 ? "plaats" : "plaatsen"}`,
    ok: `Nog ${free} ${free === 1 ? "plaats" : "plaatsen"} vrij`,
    unknown: "",
  }[state]);
  $("bar").hidden = !capacity;
  if (!capacity) return;
  const pct = (n) => `${Math.min(100, (100 * n) / capacity)}%`;
  $("bar-fill").style.width = pct(present);
  $("bar-expected").style.width = pct(Math.max(expected, present));
  $("bar-mark").style.left = pct(capacity * NEARLY_FULL);
  $("bar").setAttribute("aria-label", `${present} van ${capacity} plaatsen bezet`);
}

const MARKS = { here: ["✓", "in de zaal"], onsite: ["●", "op de site"], away: ["○", "nog niet aangekomen"] };

function drawPeople(entry) {
  const people = entry ? entry.people : [];
  $("no-people").hidden = people.length > 0 || !entry;
  $("people").replaceChildren(...people.map((p) => {
    const state = p.here ? "here" : p.on_site ? "onsite" : "away";
    const item = el("li", state);
    item.title = MARKS[state][1];
    item.append(el("span", `mark ${state}`, MARKS[state][0]), el("span", "name", p.name),
      el("span", "org", p.organisation));
    return item;
  }));
  const besturen = entry ? entry.besturen_present : [];
  $("besturen").replaceChildren(...(besturen.length ? besturen.map((b) => el("li", "chip", b))
    : [el("li", "empty", "Nog niemand in de zaal.")]));
}

function draw(snapshot) {
  const entries = (snapshot.rooms || []).filter((r) => r.room === room.id);
  const entry = pickEntry(entries);
  const place = (snapshot.locations || []).find((l) => l.id === room.id);
  const present = place ? place.present : entry ? entry.present : 0;
  const capacity = room.capacity || (entry && entry.capacity) || null;
  const expected = entry ? entry.expected : 0;
  drawTabs(entries, entry);
  drawSession(entry);
  // A room without work sessions (the auditorium): only how full it is.
  for (const part of document.querySelectorAll(".occ-stats, .people-panel, .besturen-panel")) {
    part.hidden = !entry;
  }
  drawOccupancy(present, capacity, expected);
  setText($("expected"), expected);
  setText($("registered"), entry ? entry.registered : 0);
  setText($("missing"), entry ? entry.registered - expected : 0);
  // People in the room who are not on this session's list (came to the wrong room, or
  // switched): the host may want to know.
  const extra = present - (entry ? entry.people.filter((p) => p.here).length : 0);
  setText($("extra"), extra);
  $("extra-item").hidden = !entry || extra <= 0;
  drawPeople(entry);
}

// --- the door: a handheld scanner types the badge code and Enter ---------------------------
const DOOR_WORDS = {
  checked_in: ["ok", "Welkom"], checked_out: ["ok", "Uitgescand"], already: ["warn", "Al in de zaal"],
  unknown: ["bad", "Onbekende code"], cancelled: ["bad", "Inschrijving geannuleerd"],
  not_here: ["warn", "Niet op de lijst van deze zaal"],
};

function showDoor(body) {
  const [tone, title] = DOOR_WORDS[body && body.result] || ["bad", (body && body.message) || "Er ging iets mis"];
  const person = body && body.attendee;
  const line = $("door-result");
  line.className = `door-result ${tone}`;
  const pending = body && body.offline ? " — offline, wacht op verzending" : "";
  setText(line, (person ? `${title}: ${person.first_name} ${person.last_name} (${person.organisation})` : title) + pending);
}

function setUpDoor() {
  const input = $("door-code");
  if (!input) return;
  // Without the network the door answers from the room's own roster (static/js/offline/).
  const offline = config.urls.roster ? offlineDesk({ rosterUrl: config.urls.roster, station: config.stationId })
    : null;
  const queue = outbox({
    url: config.urls.scan,
    storageKey: `kiosk.outbox.door.${room.id}`,
    onDelivered: showDoor,
    onRejected: showDoor,
  });
  async function submit(code) {
    if (!code) return;
    const answer = await queue.send({ code, location: room.id });
    const local = answer.queued && offline && offline.answer(code, null, { missing: "not_here" });
    if (local) {
      showDoor(local);
    } else if (answer.queued) {
      $("door-result").className = "door-result warn";
      setText($("door-result"), `Geen verbinding: ${queue.waiting} scan(s) wachten en worden later verstuurd`);
    } else {
      showDoor(answer.body);
    }
  }
  attachWedge({ input, onCode: submit });
  // The OK button, for a code typed by hand (Enter is handled by attachWedge).
  $("door-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const code = input.value.trim();
    input.value = "";
    submit(code);
  });
}

screen = runScreen({ config, draw });
setUpDoor();
