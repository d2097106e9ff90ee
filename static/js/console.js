// The organiser's console: what the pages do in the browser. Everything works without
// it too (plain forms and links); this adds drag and drop for the registration list, a
// confirmation before a cancellation, a search that filters as you type, and the
// progress of jobs (badge PDFs, imports, the report) followed live until they are done.
// Text is always set as text, never as markup (names come from a file).

const POLL_MS = 700;

function dropzones() {
  for (const form of document.querySelectorAll("form[data-dropzone]")) {
    const zone = form.querySelector(".dropzone");
    const input = form.querySelector("input[type=file]");
    const chosen = form.querySelector("[data-chosen]");
    const show = () => { chosen.textContent = input.files.length ? input.files[0].name : ""; };
    input.addEventListener("change", show);
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      if (!event.dataTransfer || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;  // the form sends it as if it was chosen
      show();
      form.requestSubmit();
    });
  }
}

function confirmations() {
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // A second click on "Importeren" must not import twice.
  for (const button of document.querySelectorAll("[data-confirm-import]")) {
    button.form.addEventListener("submit", () => { setTimeout(() => { button.disabled = true; }, 0); });
  }
}

function liveSearch() {
  const form = document.querySelector("form[data-live-search]");
  if (!form) return;
  let timer = null;
  let asked = 0;
  const refresh = async () => {
    const url = new URL(form.action, window.location.href);
    for (const [key, value] of new FormData(form)) if (value) url.searchParams.set(key, value);
    const mine = ++asked;
    try {
      const answer = await fetch(url, { credentials: "same-origin" });
      if (!answer.ok || mine !== asked) return;
      const page = new DOMParser().parseFromString(await answer.text(), "text/html");
      for (const selector of [".shown", ".table-wrap", "main > p.panel"]) {
        const now = document.querySelector(selector);
        const next = page.querySelector(selector);
        if (now && next) now.replaceWith(document.adoptNode(next));
        else if (now && !next) now.remove();
        else if (!now && next) form.after(document.adoptNode(next));
      }
      window.history.replaceState(null, "", url);
    } catch (error) {
      // the network hiccupped: the form still works with Enter
    }
  };
  form.querySelector("input[type=search]").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  });
  form.querySelector("select").addEventListener("change", () => form.requestSubmit());
}

function followJob(box) {
  const words = JSON.parse(box.dataset.words);
  const bar = box.querySelector(".job-bar");
  const state = box.querySelector(".job-state");
  const note = box.querySelector(".job-note");
  const error = box.querySelector(".job-error");
  const files = box.querySelector(".job-files");
  const result = box.querySelector(".job-result");
  const draw = (job) => {
    box.dataset.state = job.state;
    state.textContent = words[job.state] || job.state;
    state.className = `job-state state-${job.state}`;
    if (job.total) { bar.max = job.total; bar.value = job.done; }
    else if (job.state === "done" || job.state === "failed") { bar.max = 1; bar.value = 1; }
    else bar.removeAttribute("value");  // busy, amount unknown: the bar moves by itself
    note.textContent = job.note || "";
    error.hidden = !job.error;
    error.textContent = job.error || "";
    files.replaceChildren(...job.files.map((name) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = box.dataset.filesBase + encodeURIComponent(name);
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = `${words.download}: ${name}`;
      item.append(link);
      return item;
    }));
    if (job.result_url) {
      result.hidden = false;
      result.querySelector("a").href = job.result_url;
    }
  };
  const poll = async () => {
    try {
      const answer = await fetch(box.dataset.jobUrl, { credentials: "same-origin" });
      if (answer.status === 404) { box.dataset.state = "failed"; return; }
      const job = await answer.json();
      draw(job);
      if (job.state === "done" && box.dataset.follow && job.result_url) {
        window.location.assign(job.result_url);
        return;
      }
      // The page's own counts (badges still to print) changed with this job: redraw it.
      if (job.state === "done" && box.closest("[data-reload-when-done]")) {
        window.location.reload();
        return;
      }
      if (job.state === "done" || job.state === "failed") return;
    } catch (error) {
      // no answer this time: ask again
    }
    setTimeout(poll, POLL_MS);
  };
  poll();
}

function jobs() {
  for (const box of document.querySelectorAll(".job[data-job-url]")) {
    const busy = box.dataset.state === "queued" || box.dataset.state === "running";
    if (busy || box.dataset.follow) followJob(box);
  }
}

dropzones();
confirmations();
liveSearch();
jobs();
