// The service worker of the station pages (served as /sw.js, scope /): it keeps each
// station page's shell (its HTML, CSS, JavaScript, the decoder's .wasm, the icon) in the
// Cache Storage, so a tablet that reloads, or wakes up, without the network still opens its
// page and can answer scans from its local roster (static/js/offline/roster.js).
//
// Pages: network first (a page always shows the freshest counts when the server answers),
// the cached copy when the network fails or is slower than PAGE_TIMEOUT_MS. Static files:
// from the cache (their cache is versioned: the server puts a digest of static/ into
// VERSION, so a new deployment is a new service worker and a new cache). The API and the
// live socket are never touched: they pass straight through to the network.
const VERSION = "__VERSION__";
const SHELL = __SHELL__;          // the static files to fetch at install
const PAGES = __PAGES__;          // the station pages worth keeping
const CACHE = `kiosk-shell-${VERSION}`;
const PAGE_TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(SHELL);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("kiosk-shell-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function isStationPage(url) {
  return PAGES.some((path) => url.pathname === path || url.pathname.startsWith(`${path}/`));
}

// A page the station opened before the worker controlled it: fetched and kept now.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type !== "keep-page") return;
  const url = new URL(data.url, self.location.origin);
  if (url.origin !== self.location.origin || !isStationPage(url)) return;
  event.waitUntil(keepPage(new Request(url.href, { credentials: "same-origin" })));
});

async function keepPage(request) {
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      await (await caches.open(CACHE)).put(request.url, response);
    }
  } catch { /* offline: the next visit keeps it */ }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); });
  });
}

async function page(request) {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  try {
    const response = await withTimeout(fetch(request), PAGE_TIMEOUT_MS);
    if (response.ok && !response.redirected && isStationPage(url)) {
      await cache.put(request.url, response.clone());
    }
    return response;
  } catch (error) {
    // The same page in another language (?lang=en) is better than none.
    const cached = await cache.match(request.url) || await cache.match(request.url, { ignoreSearch: true });
    if (cached) return cached;
    return new Response(
      "<!doctype html><meta charset=utf-8><title>Geen verbinding</title>" +
      "<h1>Geen verbinding met de server</h1><p>Deze pagina is nog niet op dit toestel bewaard. " +
      "Probeer opnieuw zodra het netwerk terug is.</p>",
      { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(asset(request));
  }
  // Everything else (/api, /socket.io): straight to the network, as if we were not here.
});
