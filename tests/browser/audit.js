// The page audit's measurements, run inside the page: sideways scroll, text too small, targets too
// small, text below 4.5:1 contrast, fields without a label. Returns a list of violations, each a short sentence with where.
// arguments[0]: {minText, minTarget, width, scrollOnly}
return (function (limits) {
  const out = [];
  const where = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    else if (el.className && typeof el.className === "string") s += "." + el.className.trim().split(/\s+/).join(".");
    const p = el.parentElement;
    if (p && !el.id) s = (p.id ? p.tagName.toLowerCase() + "#" + p.id : p.tagName.toLowerCase()) + " > " + s;
    return s;
  };
  const root = document.documentElement;
  // A phone may widen its layout to fit what sticks out: the screen's own width is the measure.
  const room = Math.min(window.innerWidth, limits.width);
  if (root.scrollWidth > room) {
    // The widest element that sticks out, to say what to fix.
    let worst = null, right = room;
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > right + 1) { right = r.right; worst = el; }
    }
    out.push(`scrolls sideways: ${root.scrollWidth}px in ${room}px` + (worst ? ` (${where(worst)})` : ""));
  }
  // The narrowest and widest phones look for sideways scroll only.
  if (limits.scrollOnly) return out;
  const shown = (el) => {
    if (el.closest(".sprite, [hidden], dialog:not([open]), template, noscript")) return false;
    const st = getComputedStyle(el);
    if (st.visibility === "hidden" || st.display === "none" || parseFloat(st.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const v = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1 };
  };
  const blend = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg.a > 0) { layers.push(bg); if (bg.a >= 1) break; }
    }
    let c = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) c = blend(layers[i], c);
    return c;
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };

  // Text: every element that holds visible text of its own.
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let reported = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || seen.has(el) || ["SCRIPT", "STYLE", "NOSCRIPT", "OPTION", "TITLE"].includes(el.tagName)) continue;
    seen.add(el);
    if (!shown(el)) continue;
    const st = getComputedStyle(el);
    let size = parseFloat(st.fontSize);
    if (el instanceof SVGElement && el.ownerSVGElement) {
      const m = el.getScreenCTM();
      if (m) size *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    }
    if (size + 0.01 < limits.minText && reported < 40) {
      out.push(`text ${size.toFixed(1)}px < ${limits.minText}px: "${text.slice(0, 30)}" (${where(el)})`);
      reported++;
    }
    if (el.closest("[disabled], .dev-banner") || el instanceof SVGElement) continue;
    const fg = parse(st.color);
    if (!fg) continue;
    const bg = background(el);
    const c = ratio(fg.a < 1 ? blend(fg, bg) : fg, bg);
    if (c < 4.5 && reported < 40) {
      out.push(`contrast ${c.toFixed(2)}:1 < 4.5:1: "${text.slice(0, 30)}" (${where(el)}, ${st.color} on rgb(${Math.round(bg.r)},${Math.round(bg.g)},${Math.round(bg.b)}))`);
      reported++;
    }
  }

  // Targets: what one taps, unless it is a link inside a sentence.
  const targets = document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]");
  for (const el of targets) {
    if (!shown(el) || el.closest("[disabled]")) continue;
    let box = el;
    if (el.matches("input[type=checkbox], input[type=radio]")) box = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    if (el.tagName === "A" && getComputedStyle(el).display === "inline") {
      const block = el.parentElement;
      const own = el.textContent.trim().length;
      const around = block ? block.textContent.trim().length : own;
      if (around > own + 1) continue;
    }
    const r = box.getBoundingClientRect();
    if ((r.height + 0.5 < limits.minTarget || r.width + 0.5 < limits.minTarget) && reported < 60) {
      out.push(`target ${Math.round(r.width)}×${Math.round(r.height)}px < ${limits.minTarget}px: "${(el.textContent || el.value || el.name || "").trim().slice(0, 30)}" (${where(el)})`);
      reported++;
    }
  }

  // Labels: every field a person fills in is named by a label tied to it (or, for a lone search
  // box or filter, an aria-label), so a screen reader says what it is and a tap on the words
  // reaches it.
  for (const el of document.querySelectorAll("input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]), select, textarea")) {
    if (!shown(el)) continue;
    const labelled = (el.labels && Array.from(el.labels).some((l) => l.textContent.trim())) ||
      (el.getAttribute("aria-label") || "").trim() || (el.getAttribute("aria-labelledby") || "").trim();
    if (!labelled) out.push(`a field without a label: ${el.name || el.type} (${where(el)})`);
  }
  return out;
})(arguments[0]);
