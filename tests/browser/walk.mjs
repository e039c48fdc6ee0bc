// What the browser tests share: the server's address, the demo accounts, signing in, and the
// scan for domain code names in a page's visible text.
export const BASE = process.env.GONGZHI_URL ?? 'http://127.0.0.1:8080';
export const PASSWORD = process.env.GONGZHI_DEMO_PASSWORD ?? 'demo2026pass';
// `red`: the demo's red grid member (红色网格员), listed with the other demo accounts.
export const ROLES = ['admin', 'district', 'street', 'community', 'grid', 'red', 'centre', 'department', 'party', 'supervisor', 'resident'];

export function launch(chromium) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function login(page, user) {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/`), page.click('button[type=submit]')]);
}

// The codes shown as words in the page's visible text, outside <code>, <kbd> and form fields
// (a login name or an API key is shown as what it is), and outside quotes.
export async function codeNamesOn(page, codes) {
  return page.evaluate((codes) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const text = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('code, kbd, script, style, textarea, select, option, .leaflet-container')) continue;
      if (!el.checkVisibility || el.checkVisibility()) text.push(n.textContent);
    }
    // A login name in 「」 or “” is the user's own word.
    const all = text.join(' ').replace(/「[^」]*」|“[^”]*”/g, ' ');
    return codes.filter((c) => new RegExp(`(^|[^A-Za-z_])${c}([^A-Za-z_]|$)`).test(all));
  }, codes);
}

// axe-core's WCAG 2 A/AA rules on the page as shown; the serious and critical violations, each
// as "rule: first element". The context must be made with bypassCSP (the page allows only its
// own scripts).
const AXE = new URL('./node_modules/axe-core/axe.min.js', import.meta.url).pathname;
export async function axeViolations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, target: v.nodes[0]?.target?.join(' '), n: v.nodes.length }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ×${v.n}: ${v.target}`);
}
