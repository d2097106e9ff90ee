// Test-only: runs static/js/scanner.js on /__test__/scanner and lists what it reports, in
// the page (for screenshots) and in window.scanLog (for assertions).
// ?camera=off leaves the camera alone (wedge-only tests); ?dedupe=MS shortens the quiet time.
import { attachWedge, startScanner } from "/static/js/scanner.js";

const log = { codes: [], wedge: [], states: [], violations: [] };
window.scanLog = log;

function append(listId, text) {
  const item = document.createElement("li");
  item.textContent = text;
  document.getElementById(listId).append(item);
}

document.addEventListener("securitypolicyviolation", (event) => {
  log.violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});

const params = new URLSearchParams(location.search);
if (params.get("camera") !== "off") {
  const options = {
    video: document.getElementById("video"),
    onCode(code) {
      log.codes.push(code);
      append("codes", code);
    },
    onState(state, detail) {
      log.states.push({ state, reason: detail.reason || null, error: detail.error ? detail.error.name : null });
      document.getElementById("state").textContent = detail.reason ? `${state} (${detail.reason})` : state;
    },
  };
  if (params.has("dedupe")) options.dedupeMs = Number(params.get("dedupe"));
  window.scanner = startScanner(options);
}

attachWedge({
  input: document.getElementById("wedge"),
  // The test sends key events one round trip at a time: on a busy CI machine that is
  // slower than a real scanner, and the speed test is not what these tests are about.
  machineMsPerKey: 1000,
  onCode(code) {
    log.wedge.push(code);
    append("wedge-codes", code);
  },
});
