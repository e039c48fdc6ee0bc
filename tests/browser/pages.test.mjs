// Every page of every demo role on a 375 px phone: the crawl starts at each role's home and
// follows the links it is given (two pages of each shape, e.g. /cases/{id}), and on each page
// checks that nothing is wider than the screen and that no domain code name (from
// /api/v1/labels) is shown where a name belongs, and that axe-core finds no serious or critical
// WCAG 2 A/AA violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { login, launch, codeNamesOn, axeViolations, BASE, ROLES } from './walk.mjs';

const PER_SHAPE = 2;
const PER_ROLE = 40;
// Links that leave the page's world or change something when followed.
const SKIP = [/^\/logout/, /^\/lang\//, /^\/api\//, /^\/assets\//, /\.(xlsx|csv|geojson|json|png|jpg)$/, /\/export/, /\/print$/];

let browser;
let codes;
before(async () => {
  browser = await launch(chromium);
  const labels = await (await fetch(`${BASE}/api/v1/labels`)).json();
  codes = Object.values(labels).flatMap((group) => Object.keys(group));
  assert.ok(codes.includes('report_back'), 'the label dictionary lists the commands');
});
after(async () => { await browser?.close(); });

// /cases/123 and /cases/456 are one shape; /grids/320508…001 another.
const shape = (path) => path.replace(/\?.*$/, '').replace(/[0-9A-Z]{4,}(-[0-9A-Z]{4})*/g, '#').replace(/\d+/g, '#');

for (const role of ROLES) {
  test(`every page ${role} can reach fits 375 px, shows names, not codes, and passes axe`, async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
    const page = await context.newPage();
    await login(page, role);
    const queue = ['/'];
    const seen = new Set();
    const shapes = new Map();
    const problems = [];
    let visited = 0;
    while (queue.length && visited < PER_ROLE) {
      const path = queue.shift();
      if (seen.has(path)) continue;
      seen.add(path);
      const s = shape(path);
      if ((shapes.get(s) ?? 0) >= PER_SHAPE) continue;
      shapes.set(s, (shapes.get(s) ?? 0) + 1);
      const resp = await page.goto(`${BASE}${path}`);
      visited++;
      if (!resp || resp.status() >= 500) { problems.push(`${path}: status ${resp?.status()}`); continue; }
      // A download shown as text (the signed checkpoint, the verifier key) is not a page.
      if (!(resp.headers()['content-type'] ?? '').startsWith('text/html')) continue;
      await page.waitForLoadState('load');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 375) {
        const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > 376)
          .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`).join(', '));
        problems.push(`${path}: ${width}px wide (${wide})`);
      }
      const shown = await codeNamesOn(page, codes);
      if (shown.length) problems.push(`${path}: code names shown: ${shown.join(', ')}`);
      const axe = await axeViolations(page);
      if (axe.length) problems.push(`${path}: accessibility: ${axe.join('; ')}`);
      const links = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
      for (const href of links) {
        if (!href.startsWith('/') || href.startsWith('//')) continue;
        if (SKIP.some((r) => r.test(href.replace(/\?.*$/, '')))) continue;
        if (!seen.has(href)) queue.push(href);
      }
    }
    console.log(`${role}: ${visited} pages, ${shapes.size} kinds`);
    assert.ok(visited >= 2 || role === 'resident', `${role} reached ${visited} pages`);
    assert.deepEqual(problems, [], `${role}: ${visited} pages visited`);
    await context.close();
  });
}
