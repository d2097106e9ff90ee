// Registers the station pages' service worker (/sw.js, static/js/offline/sw.js) from a
// static file (the Content-Security-Policy allows no inline script), and asks it to keep
// this very page: the first visit is not yet under its control, so it could not keep it.
export async function registerShell() {
  if (!("serviceWorker" in navigator)) return null;  // plain http on a LAN address: no worker
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const ready = await navigator.serviceWorker.ready;
    if (ready.active) ready.active.postMessage({ type: "keep-page", url: location.href });
    document.documentElement.dataset.shell = "ready";
    return ready;
  } catch (error) {
    console.warn("no offline shell", error);
    return null;
  }
}

// Not before the page has settled: the camera and the first scan come first (fetching the
// shell, 1.5 MB with the decoder, competes with them on a slow tablet).
const SETTLE_MS = 2500;
if (document.readyState === "complete") setTimeout(registerShell, SETTLE_MS);
else window.addEventListener("load", () => setTimeout(registerShell, SETTLE_MS), { once: true });
