// The device matrix's eye (tests/browser/test_devices.py): what on this page a user could
// not read. Returns one line per finding: text clipped or running out of its box, a box
// sticking out of its parent or of the viewport, two sibling boxes on top of each other.
() => {
  const W = document.documentElement.clientWidth;
  const SKIP = new Set(["SCRIPT", "STYLE", "HEAD", "META", "LINK", "TITLE", "OPTION", "BR",
    "NOSCRIPT", "TEMPLATE", "VIDEO", "CANVAS", "IMG", "svg"]);
  const findings = [];
  const rects = new Map();  // nothing moves while we look: measure each box once
  const rect = (e) => {
    if (!rects.has(e)) rects.set(e, e.getBoundingClientRect());
    return rects.get(e);
  };
  const styles = new Map();  // one computed style per element: the page may list 250 people
  const style = (e) => {
    if (!styles.has(e)) styles.set(e, getComputedStyle(e));
    return styles.get(e);
  };
  const name = (e) => {
    let s = e.tagName.toLowerCase();
    if (e.id) return `${s}#${e.id}`;
    if (e.classList.length) s += `.${[...e.classList].slice(0, 2).join(".")}`;
    return s;
  };
  const where = (e) => {
    const parts = [];
    for (let n = e; n && n !== document.body && parts.length < 3; n = n.parentElement) {
      parts.unshift(name(n));
      if (n.id) break;
    }
    return parts.join(" > ");
  };
  const words = (e) => (e.value || e.innerText || e.textContent || "").trim()
    .replace(/\s+/g, " ").slice(0, 48);
  // Text for screen readers only (a 1 px box that clips it, "visually-hidden") is meant to
  // be invisible: not a finding.
  const srOnly = (e) => {
    const r = rect(e);
    return r.width <= 1 && r.height <= 1 && style(e).overflow !== "visible";
  };
  const shown = (e) => {
    if (!e.getClientRects().length || srOnly(e) || e.closest(".visually-hidden, .sr-only")) {
      return false;
    }
    const s = style(e);
    return s.visibility !== "hidden" && parseFloat(s.opacity) > 0;
  };
  const ownText = (e) => [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
    || ["INPUT", "TEXTAREA", "SELECT", "BUTTON"].includes(e.tagName);
  const scrolls = (value) => value === "auto" || value === "scroll";
  const inline = (e) => style(e).display === "inline" || style(e).display === "contents";
  // Sticky boxes (a phone's scan field at the bottom) lie over the page by design.
  const outOfFlow = (e) => ["absolute", "fixed", "sticky"].includes(style(e).position)
    || style(e).float !== "none";
  const elements = [...document.body.querySelectorAll("*")]
    .filter((e) => !SKIP.has(e.tagName) && !e.closest("svg") && shown(e));

  // 1. The viewport: nothing to scroll sideways to.
  if (document.documentElement.scrollWidth > W + 1) {
    findings.push(`page ${document.documentElement.scrollWidth} px wide on a ${W} px screen`);
  }
  const inScroller = (e) => {
    for (let n = e.parentElement; n && n !== document.body; n = n.parentElement) {
      if (scrolls(style(n).overflowX)) return true;
    }
    return false;
  };
  for (const e of elements) {
    const r = rect(e);
    if (r.width === 0 || inline(e)) continue;
    if ((r.right > W + 1 || r.left < -1) && !inScroller(e)) {
      const parent = rect(e.parentElement);
      if (parent.right <= W + 1 && parent.left >= -1) {
        findings.push(`${where(e)} "${words(e)}" lies outside the screen (${Math.round(r.left)}..${Math.round(r.right)} of ${W})`);
      }
    }
  }

  // 2. A box whose content is wider than the box (cut, ellipsis, or spilling), or that
  //    hides what does not fit below. Where overflow is visible, only boxes count that
  //    stick out of their parent, not the glyphs of a tight line height.
  for (const e of elements) {
    if (inline(e) || e === document.body) continue;
    const s = style(e);
    if (!scrolls(s.overflowX) && e.scrollWidth > e.clientWidth + 2 && e.clientWidth > 0) {
      findings.push(`${where(e)} "${words(e)}" is wider than its box (${e.scrollWidth} > ${e.clientWidth})`);
    }
    if (["hidden", "clip"].includes(s.overflowY) && e.clientHeight > 0
        && e.scrollHeight > e.clientHeight + 2) {
      findings.push(`${where(e)} "${words(e)}" is cut at the bottom (${e.scrollHeight} > ${e.clientHeight})`);
    }
    if (s.overflowY === "visible" && e.parentElement && e.parentElement !== document.body
        && !outOfFlow(e)) {
      const parent = e.parentElement;
      const ps = style(parent);
      const box = rect(parent);
      const r = rect(e);
      const bottom = box.bottom - parseFloat(ps.borderBottomWidth);
      if (r.height > 0 && !scrolls(ps.overflowY) && r.bottom > bottom + 2) {
        findings.push(`${where(e)} "${words(e)}" sticks out of the bottom of ${name(parent)} (${Math.round(r.bottom - bottom)} px)`);
      }
    }
  }

  // 3. Text cut by an ancestor that hides what does not fit.
  for (const e of elements) {
    if (!ownText(e)) continue;
    const r = rect(e);
    if (r.width === 0 || r.height === 0) continue;
    for (let n = e.parentElement; n && n !== document.body; n = n.parentElement) {
      const s = style(n);
      if (s.overflowX === "visible" && s.overflowY === "visible") continue;
      const box = rect(n);
      const cutX = !scrolls(s.overflowX) && (r.right > box.right + 1 || r.left < box.left - 1);
      const cutY = !scrolls(s.overflowY) && (r.bottom > box.bottom + 1 || r.top < box.top - 1);
      if (cutX || cutY) findings.push(`${where(e)} "${words(e)}" is cut off by ${where(n)}`);
      break;
    }
  }

  // 4. Sibling boxes on top of each other.
  for (const parent of [document.body, ...elements]) {
    const kids = [...parent.children].filter((k) => !SKIP.has(k.tagName) && shown(k)
      && !inline(k) && !outOfFlow(k));
    const boxes = kids.map((k) => [k, rect(k)])
      .filter(([, r]) => r.width > 0 && r.height > 0);
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const [a, ra] = boxes[i];
        const [b, rb] = boxes[j];
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 1 && y > 1) {
          findings.push(`${where(a)} "${words(a)}" overlaps ${name(b)} "${words(b)}"`);
        }
      }
    }
  }
  return [...new Set(findings)];
}
