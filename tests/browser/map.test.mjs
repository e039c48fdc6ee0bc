// The dynamic map on a 375 px phone: the district opens the map; grids are coloured by a metric
// and switching the metric changes the fill colours; cases are clusters with counts when zoomed
// out and single points (opening the case) when zoomed in; the time slider narrows the window
// and the counts shown change. The page shows names, not codes, fits the phone, and has no
// serious or critical axe-core violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { login, launch, codeNamesOn, axeViolations, BASE } from './walk.mjs';

const SHOTS = process.env.SHOT_DIR ?? 'screenshots';
mkdirSync(SHOTS, { recursive: true });

let browser;
let codes;
before(async () => {
  browser = await launch(chromium);
  const labels = await (await fetch(`${BASE}/api/v1/labels`)).json();
  codes = Object.values(labels).flatMap((group) => Object.keys(group));
});
after(async () => { await browser?.close(); });

async function check(page, what) {
  const shown = await codeNamesOn(page, codes);
  assert.deepEqual(shown, [], `${what}: code names shown`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= page.viewportSize().width, `${what}: ${width}px wide on a phone`);
  const axe = await axeViolations(page);
  assert.deepEqual(axe, [], `${what}: accessibility`);
}

// Waits until the map has drawn an answer newer than `before` for `what` (metrics or cases).
async function drawn(page, what, before) {
  const key = what === 'metrics' ? 'metricsDrawn' : 'casesDrawn';
  await page.waitForFunction(([k, b]) => {
    const v = document.getElementById('map').dataset[k];
    return v !== undefined && v !== b;
  }, [key, before ?? null], { timeout: 20000 });
  return page.evaluate((k) => document.getElementById('map').dataset[k], key);
}

const fills = (page) => page.evaluate(() => window.gzGridLayer.getLayers().map((l) => l._path && l._path.getAttribute('fill')));
const clusters = (page) => page.$$eval('.gz-cluster.gz-cases', (els) => els.map((e) => Number(e.textContent)));
const total = (page) => page.evaluate(() => Number(document.getElementById('map').dataset.casesTotal));

test('grids coloured by a metric, clusters and points, and a time slider that changes what is shown', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'district');
  await page.goto(`${BASE}/map`);
  let m = await drawn(page, 'metrics');
  let c = await drawn(page, 'cases');

  // Grids coloured by volume, in more than one shade.
  const volume = await fills(page);
  assert.ok(new Set(volume).size >= 2, `grids in several shades: ${[...new Set(volume)]}`);
  assert.match(await page.textContent('#map-legend'), /案件量/);
  assert.ok(await page.locator('#map-table tbody tr').count() > 0, 'the same figures as a table');

  // Zoomed out: clusters with counts that add up to the cases in view.
  assert.equal(await page.evaluate(() => document.getElementById('map').dataset.casesMode), 'clusters');
  const counts = await clusters(page);
  assert.ok(counts.length > 0 && counts.every((n) => n > 0), `cluster markers with counts: ${counts}`);
  const whole = await total(page);
  assert.ok(whole > 0, 'the demo city has cases with positions');
  assert.equal(counts.reduce((a, b) => a + b, 0), whole);
  await page.screenshot({ path: `${SHOTS}/map-clusters.png`, fullPage: true });
  await check(page, 'the map, zoomed out');

  // The controls fold on a phone; switching the metric recolours the grids.
  await page.click('#map-panel summary');
  await page.selectOption('#map-metric', 'satisfaction');
  m = await drawn(page, 'metrics', m);
  const satisfaction = await fills(page);
  assert.notDeepEqual(satisfaction, volume, 'another metric, other colours');
  assert.match(await page.textContent('#map-legend'), /满意率/);
  await page.selectOption('#map-metric', 'overdue');
  m = await drawn(page, 'metrics', m);
  assert.match(await page.textContent('#map-legend'), /超期未办结/);
  await check(page, 'the controls open');

  // The time slider: its first week shows fewer cases than the whole range.
  const steps = Number(await page.getAttribute('#map-slider', 'max'));
  assert.ok(steps >= 10, `about 13 weeks in the 90 days: ${steps}`);
  const setSlider = (v) => page.evaluate((v) => {
    const s = document.getElementById('map-slider');
    s.value = String(v);
    s.dispatchEvent(new Event('input'));
  }, v);
  await setSlider(steps - 2);
  c = await drawn(page, 'cases', c);
  m = await drawn(page, 'metrics', m);
  const week = await total(page);
  assert.ok(week < whole, `one week (${week}) is less than the range (${whole})`);
  assert.notDeepEqual(await clusters(page), counts, 'the clusters change with the window');
  assert.match(await page.textContent('#map-slider-label'), /\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}/);
  await setSlider(steps - 3);
  c = await drawn(page, 'cases', c);
  const other = await total(page);
  assert.ok(other > 0, 'every week of the demo has cases');
  await setSlider(steps);
  c = await drawn(page, 'cases', c);
  assert.equal(await total(page), whole, 'the last position is the whole range again');

  // Zoomed in on the busiest cluster: single cases, each opening its page.
  const busiest = await page.evaluate(() => {
    let best = null;
    window.gzGridMap.eachLayer((l) => {
      const el = l.getElement && l.getElement();
      if (el && el.classList.contains('gz-cases')) {
        const n = Number(el.textContent);
        if (!best || n > best.n) best = { n, at: l.getLatLng() };
      }
    });
    return best;
  });
  await page.evaluate((at) => window.gzGridMap.setView([at.lat, at.lng], 17, { animate: false }), busiest.at);
  await page.waitForFunction(() => document.getElementById('map').dataset.casesMode === 'points', null, { timeout: 20000 });
  const points = page.locator('path.gz-case-point');
  assert.ok(await points.count() > 0, 'single cases when zoomed in');
  await page.screenshot({ path: `${SHOTS}/map-points.png`, fullPage: true });
  await points.first().click({ force: true });
  const link = page.locator('.leaflet-popup-content a').first();
  await link.waitFor({ timeout: 10000 });
  assert.match(await link.getAttribute('href'), /^\/cases\/\d+$/);
  await Promise.all([page.waitForNavigation(), link.click()]);
  assert.match(new URL(page.url()).pathname, /^\/cases\/\d+$/);
  await context.close();
});
