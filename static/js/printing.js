// The print queue for reception and the organiser: each printer's jobs, newest first, with
// the printer's words when one failed, and "Opnieuw" / "Annuleren". Refreshed every two
// seconds. Names are set as textContent only.
const root = document.getElementById("printing");
const config = JSON.parse(root.dataset.config);
const REFRESH_MS = 2000;
const STATES = { queued: "wacht", printing: "wordt afgedrukt", done: "afgedrukt",
  failed: "mislukt", cancelled: "geannuleerd" };
const REASONS = { arrival: "bij aankomst", walk_in: "nieuwe deelnemer", reprint: "nieuwe badge",
  request: "op vraag", kiosk: "kiosk" };

const el = (tag, className = "", text = null) => {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== null) element.textContent = text;
  return element;
};

function printerCard(printer) {
  const card = el("section", `printer${printer.halted ? " halted" : ""}`);
  const head = el("header");
  head.append(el("h2", "", printer.name), el("span", "kind", printer.kind));
  const counts = printer.counts || {};
  head.append(el("span", "counts", ["queued", "printing", "done", "failed"]
    .filter((s) => counts[s]).map((s) => `${counts[s]} ${STATES[s]}`).join(" · ") || "leeg"));
  card.append(head);
  if (printer.halted) {
    card.append(el("p", "halt", "Gestopt: een afdruk mislukte. Los het op en tik op Opnieuw "
      + "(of Annuleren); de wachtende badges volgen dan in hun volgorde."));
  }
  const list = el("ol", "jobs");
  for (const job of printer.jobs) list.append(jobRow(job));
  card.append(list);
  return card;
}

function jobRow(job) {
  const row = el("li", `job ${job.state}`);
  row.dataset.jobId = job.id;
  const who = el("div", "who");
  who.append(el("strong", "", job.name), el("span", "", [REASONS[job.reason] || job.reason, job.queued_at,
    job.printed_at && job.state === "done" ? `afgedrukt ${job.printed_at}` : ""].filter(Boolean).join(" · ")));
  if (job.error) who.append(el("span", "error", job.error));
  row.append(who, el("span", "state", STATES[job.state] || job.state));
  const actions = el("div", "actions");
  if (job.state === "failed") actions.append(button("Opnieuw", job.id, "retry"));
  if (job.state === "failed" || job.state === "queued") actions.append(button("Annuleren", job.id, "cancel", "secondary"));
  row.append(actions);
  return row;
}

function button(label, jobId, action, extra = "") {
  const b = el("button", `button ${extra}`.trim(), label);
  b.type = "button";
  b.dataset.action = action;
  b.addEventListener("click", async () => {
    b.disabled = true;
    const url = config.urls.job.replace("JOB_ID", jobId).replace("ACTION", action);
    await fetch(url, { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: "{}" }).catch(() => null);
    refresh();
  });
  return b;
}

function draw(printers) {
  const main = document.getElementById("printers");
  if (!printers.length) return;
  main.replaceChildren(...printers.map(printerCard));
}

async function refresh() {
  const response = await fetch(config.urls.printers, { credentials: "same-origin" }).catch(() => null);
  if (response && response.ok) draw((await response.json()).printers);
}

draw(config.printers);
setInterval(refresh, REFRESH_MS);
