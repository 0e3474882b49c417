// Accessibility checks made in the real browser: WCAG AA text contrast of every visible text node
// against its effective background.

/** Elements whose text contrast is below 4.5:1 (3:1 for large text), as descriptions. */
export async function contrastViolations(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0.5) return c;
      }
      return parse(getComputedStyle(document.body).backgroundColor);
    };
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent.trim()) continue;
      seen.add(el);
      const cs = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (cs.visibility === 'hidden' || cs.display === 'none' || box.width < 2 || box.height < 2) continue;
      if (el.closest('[aria-hidden="true"]') || el.closest('option')) continue;
      const fg0 = parse(cs.color);
      const bg = background(el);
      if (!fg0 || !bg) continue;
      // The colour the eye gets: text alpha and the opacity of the element and its ancestors
      // blend the text into its background.
      let alpha = fg0.a;
      for (let e = el; e; e = e.parentElement) alpha *= Number(getComputedStyle(e).opacity);
      const mix = (f, b) => b + (f - b) * alpha;
      const fg = { r: mix(fg0.r, bg.r), g: mix(fg0.g, bg.g), b: mix(fg0.b, bg.b) };
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const effective = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(cs.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
      if (effective < (large ? 3 : 4.5)) {
        bad.push(`${el.tagName.toLowerCase()}.${el.className} "${n.textContent.trim().slice(0, 30)}" ${effective.toFixed(2)}:1`);
      }
    }
    return bad;
  });
}
