// Badge scanning for the reception page: the camera (through the vendored zxing-wasm
// decoder) and keyboard-wedge handheld scanners. A plain ES module: no build step.
//
//   import { startScanner, attachWedge } from "./scanner.js";
//   const camera = startScanner({ video, onCode: (code) => …, onState: (state, detail) => … });
//   const wedge = attachWedge({ input, onCode: (code) => … });
//
// See static/vendor/README.md for where the decoder comes from and how to update it.

// Resolved against this module's own URL: no origin or URL prefix is written down anywhere,
// and the decoder is fetched only when a camera actually starts (a laptop with a handheld
// scanner never downloads the 1 MB .wasm).
const DECODER_MODULE = new URL("../vendor/barcode-detector/ponyfill.js", import.meta.url).href;
const DECODER_WASM = new URL("../vendor/zxing-wasm/zxing_reader.wasm", import.meta.url).href;

export const DEFAULTS = Object.freeze({
  intervalMs: 120, // between the end of one decode and the start of the next: ~8 fps at most
  dedupeMs: 3000, // the same code again within this quiet time is the same badge still held up
  maxErrors: 3, // consecutive decode failures before we call the decoder broken
});

let decoderPromise = null;

// The ponyfill, never the global polyfill: we always use zxing, also where a native
// BarcodeDetector exists (Android Chrome), so every device behaves the way the tests show.
// Without the locateFile override zxing-wasm fetches its .wasm from a CDN. The overrides
// object is created once: prepareZXingModule re-instantiates the module whenever it is
// handed a different one.
function loadDecoder() {
  if (!decoderPromise) {
    decoderPromise = import(DECODER_MODULE).then(async (api) => {
      await api.prepareZXingModule({
        overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? DECODER_WASM : prefix + path) },
        fireImmediately: true, // fetch and compile the .wasm now, so a failure shows at start
      });
      return new api.BarcodeDetector({ formats: ["qr_code"] });
    });
    decoderPromise.catch(() => { decoderPromise = null; }); // let a later start try again
  }
  return decoderPromise;
}

// getUserMedia's error names, as the states the page turns into words.
function stateForError(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "PermissionDeniedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "DevicesNotFoundError":
    case "OverconstrainedError":
      return "no-camera";
    default:
      return "error"; // NotReadableError: another app holds the camera; AbortError; …
  }
}

/**
 * Open the rear camera in `video` and report every QR code seen.
 *
 * @param {object} options
 * @param {HTMLVideoElement} options.video where the camera picture is shown
 * @param {(code: string) => void} options.onCode called once per badge presentation
 * @param {(state: string, detail: object) => void} [options.onState] called with
 *   "starting", "scanning" ({hasTorch}), "no-camera" ({reason: "insecure-context" |
 *   "no-media-devices" | "not-found", error?}), "denied" ({reason: "camera", error}), "error" ({reason:
 *   "camera" | "decoder" | "ended", error?}) and "stopped".
 * @param {number} [options.intervalMs] @param {number} [options.dedupeMs]
 * @returns {{stop(): void, setTorch(on: boolean): Promise<boolean>, readonly hasTorch: boolean,
 *   readonly state: string, ready: Promise<string>}} `ready` settles with the first state
 *   after "starting" ("scanning" or a failure); it never rejects.
 */
export function startScanner({ video, onCode, onState = () => {}, ...options }) {
  const settings = { ...DEFAULTS, ...options };
  const lastSeen = new Map(); // code -> time it was last in view
  let stream = null;
  let track = null;
  let timer = null;
  let stopped = false;
  let state = "";
  let errors = 0;
  let resolveReady;
  const ready = new Promise((resolve) => { resolveReady = resolve; });

  function report(next, detail = {}) {
    state = next;
    if (next !== "starting") resolveReady(next);
    try { onState(next, detail); } catch (error) { console.error(error); }
  }

  function releaseCamera() {
    clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    track = null;
    video.srcObject = null;
  }

  // Fires a code only after it has been out of view for dedupeMs: a badge held in front of
  // the camera for ten seconds is one scan, not eighty. Handing it over again later is a new
  // scan (the server answers "already" for a second check-in).
  function seen(code, now) {
    const previous = lastSeen.get(code);
    lastSeen.set(code, now);
    for (const [other, at] of lastSeen) if (now - at > settings.dedupeMs) lastSeen.delete(other);
    return previous === undefined || now - previous > settings.dedupeMs;
  }

  async function tick(detector) {
    timer = null;
    if (stopped || !track) return;
    // No decoding of a hidden page or a camera that has no picture yet: saves the battery.
    if (!document.hidden && video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
      try {
        const found = await detector.detect(video);
        errors = 0;
        const now = performance.now();
        for (const { rawValue } of found) {
          if (!stopped && rawValue && seen(rawValue, now)) {
            try { onCode(rawValue); } catch (error) { console.error(error); }
          }
        }
      } catch (error) {
        errors += 1;
        if (errors >= settings.maxErrors) {
          releaseCamera();
          report("error", { reason: "decoder", error });
          return;
        }
      }
    }
    // Scheduled after the decode finished: a slow tablet decodes less often instead of
    // queueing work it can never catch up with.
    if (!stopped && track) timer = setTimeout(() => tick(detector), settings.intervalMs);
  }

  async function openCamera() {
    report("starting");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      // Browsers hide the camera API on plain http to anything but localhost.
      report("no-camera", { reason: window.isSecureContext ? "no-media-devices" : "insecure-context" });
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        // "ideal", not "exact": a laptop with only a front camera must still scan.
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      const next = stateForError(error);
      report(next, next === "no-camera" ? { reason: "not-found", error } : { reason: "camera", error });
      return;
    }
    if (stopped) { releaseCamera(); return; } // stop() was called while the user was asked
    // Only now, with a camera in hand: a laptop with a handheld scanner and no camera
    // never downloads the 1 MB .wasm (it loads while the video starts playing).
    const decoder = loadDecoder();
    track = stream.getVideoTracks()[0];
    // iOS Safari plays a camera stream inline and without a tap only when muted + playsinline.
    video.muted = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    video.setAttribute("muted", "");
    video.srcObject = stream;
    track.addEventListener("ended", () => {
      // The OS took the camera away (another app, the tablet went to sleep): try again when
      // the page is visible, the way a receptionist would expect.
      if (stopped) return;
      releaseCamera();
      report("error", { reason: "ended" });
      if (!document.hidden) openCamera();
    });
    let detector;
    try {
      // AbortError only means the stream was replaced or stopped meanwhile.
      await video.play().catch((error) => { if (error.name !== "AbortError") throw error; });
    } catch (error) {
      releaseCamera();
      report("error", { reason: "camera", error });
      return;
    }
    try {
      detector = await decoder;
    } catch (error) {
      releaseCamera();
      report("error", { reason: "decoder", error });
      return;
    }
    if (stopped) { releaseCamera(); return; }
    report("scanning", { hasTorch: controller.hasTorch });
    tick(detector);
  }

  function onVisible() {
    if (!document.hidden && !stopped && !stream && state === "error") openCamera();
  }
  document.addEventListener("visibilitychange", onVisible);

  const controller = {
    ready,
    get state() { return state; },
    // Only where the camera says it can (most Android rear cameras; not iPad Safari today).
    get hasTorch() {
      const caps = track && track.getCapabilities ? track.getCapabilities() : {};
      return Boolean(caps && caps.torch);
    },
    async setTorch(on) {
      if (!controller.hasTorch) return false;
      try {
        await track.applyConstraints({ advanced: [{ torch: Boolean(on) }] });
        return true;
      } catch (error) {
        console.warn("torch", error);
        return false;
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      document.removeEventListener("visibilitychange", onVisible);
      releaseCamera();
      report("stopped");
    },
  };
  openCamera();
  return controller;
}

const NOT_TEXT = new Set(["button", "submit", "reset", "checkbox", "radio", "range", "color",
  "file", "image", "hidden"]);

export function isTextField(el) {
  if (!el || el === document.body) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !NOT_TEXT.has((el.type || "text").toLowerCase());
}

// What a scanner meant, rebuilt from physical keys (KeyboardEvent.code) read as a US layout.
// Handheld scanners type in US layout out of the box; on a Belgian AZERTY laptop that turns
// "1" into "&" and "A" into "Q". The key codes name the physical keys the scanner "pressed",
// so they survive the layout. Returns null when a key has no plain meaning.
function fromKeyCodes(keyCodes) {
  let text = "";
  for (const code of keyCodes) {
    let m;
    if ((m = /^Key([A-Z])$/.exec(code))) text += m[1];
    else if ((m = /^(?:Digit|Numpad)(\d)$/.exec(code))) text += m[1];
    else if (code === "Minus" || code === "NumpadSubtract") text += "-";
    else if (code === "Space") text += " ";
    else if (code === "ShiftLeft" || code === "ShiftRight") continue;
    else return null;
  }
  return text;
}

const PLAIN = /^[0-9A-Za-z -]*$/;
const MACHINE_MS_PER_KEY = 35; // scanners type a character every few ms; people take 100+

/**
 * Keep `input` ready for a keyboard-wedge scanner (it types the code, then Enter).
 *
 * The input gets the focus back after clicks and taps elsewhere, unless the user is typing
 * in another text field (search, walk-in form). It may be visible or visually hidden
 * (opacity/clip), but not display:none, which cannot hold the focus.
 *
 * @param {object} options
 * @param {HTMLInputElement} options.input
 * @param {(code: string) => void} options.onCode called with the trimmed text on Enter
 * @param {number} [options.machineMsPerKey] typing faster than this per key is a scanner
 * @returns {{detach(): void, focus(): void}}
 */
export function attachWedge({ input, onCode, machineMsPerKey = MACHINE_MS_PER_KEY }) {
  let keyCodes = [];
  let firstKeyAt = 0;
  // Set once a scan arrived visibly mangled by the keyboard layout: from then on this
  // scanner's fast input is read from its physical keys, also the rare code made only of
  // letters, where a US-layout scanner on AZERTY would silently swap A/Q and Z/W.
  let layoutMismatch = false;
  // inputmode="none": a focused field must not pop up the on-screen keyboard over the
  // tablet's camera picture; a Bluetooth scanner types into it all the same.
  if (!input.hasAttribute("inputmode")) input.setAttribute("inputmode", "none");
  for (const [name, value] of [["autocomplete", "off"], ["autocapitalize", "off"],
    ["autocorrect", "off"], ["spellcheck", "false"], ["enterkeyhint", "go"]]) {
    if (!input.hasAttribute(name)) input.setAttribute(name, value);
  }

  function focus() {
    if (document.activeElement !== input) input.focus({ preventScroll: true });
  }

  function chooseText(typed, physical, fast) {
    if (physical === null || physical === typed.toUpperCase()) return typed;
    if (!PLAIN.test(typed) && PLAIN.test(physical) && fast) {
      layoutMismatch = true;
      return physical;
    }
    return layoutMismatch && fast ? physical : typed;
  }

  function submit() {
    const typed = input.value.trim();
    const physical = fromKeyCodes(keyCodes);
    const fast = keyCodes.length > 1
      && (performance.now() - firstKeyAt) / keyCodes.length < machineMsPerKey;
    input.value = "";
    keyCodes = [];
    const code = chooseText(typed, physical === null ? null : physical.trim(), fast);
    if (code) {
      try { onCode(code); } catch (error) { console.error(error); }
    }
  }

  function onKeydown(event) {
    if (event.isComposing) return;
    if (event.key === "Enter") {
      event.preventDefault(); // no form submission, no page reload
      submit();
    } else if (event.key === "Escape") {
      input.value = "";
      keyCodes = [];
    } else if (event.code) {
      if (!input.value || !keyCodes.length) { keyCodes = []; firstKeyAt = performance.now(); }
      keyCodes.push(event.code);
    }
  }

  // After a click or tap on anything that is not a text field, e.g. the "check in" button of
  // a search result: the next badge must land in the wedge. Runs after the click's own
  // handlers (bubbling, on document).
  function onClick(event) {
    if (!isTextField(event.target) && !isTextField(document.activeElement)) focus();
  }
  // Focus that goes nowhere (an element removed, a dialog closed) comes back here. Focus
  // moved to a button by the Tab key is left alone: keyboard users must be able to reach it.
  function onFocusout(event) {
    if (!event.relatedTarget) setTimeout(() => { if (!isTextField(document.activeElement)) focus(); }, 0);
  }
  // Covers what no event tells us about: the focused search field was hidden or removed.
  const poll = setInterval(() => {
    if (!document.hidden && (!document.activeElement || document.activeElement === document.body)) focus();
  }, 1000);

  // A scanner types wherever the focus is. On a button or a link (reached with Tab, or
  // left there by a closed dialog) its characters would vanish and its Enter would press
  // that button: the first character takes the focus to the wedge, which gets the rest
  // (Chromium and Safari deliver a key's text to the element focused during its keydown).
  function onStrayKey(event) {
    if (event.target === input || isTextField(document.activeElement)) return;
    if (event.ctrlKey || event.metaKey || event.altKey || !/^[0-9A-Za-z]$/.test(event.key)) return;
    focus();
    if (document.activeElement !== input) return; // a modal dialog keeps the focus to itself
    input.value = "";
    keyCodes = event.code ? [event.code] : [];
    firstKeyAt = performance.now();
  }

  input.addEventListener("keydown", onKeydown);
  input.addEventListener("focusout", onFocusout);
  document.addEventListener("keydown", onStrayKey, true);
  document.addEventListener("click", onClick);
  window.addEventListener("focus", focus);
  focus();

  return {
    focus,
    detach() {
      clearInterval(poll);
      input.removeEventListener("keydown", onKeydown);
      input.removeEventListener("focusout", onFocusout);
      document.removeEventListener("keydown", onStrayKey, true);
      document.removeEventListener("click", onClick);
      window.removeEventListener("focus", focus);
    },
  };
}
