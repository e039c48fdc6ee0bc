// 应急 on a 375 px phone: the grid worker opens the live emergency from the list, sees every
// level alerted with the minute timers ticking, acknowledges (a success message, its level
// marked with the time), checks in with the phone's position (on the map and in the table
// beside it); the street reads the finished drill, labelled 演练, with its summary. No
// horizontal scroll, names not codes, no serious or critical axe-core violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { login, launch, codeNamesOn, axeViolations, BASE } from './walk.mjs';

const SHOTS = process.env.SHOT_DIR ?? 'screenshots';
mkdirSync(SHOTS, { recursive: true });
// The levels' own codes must never be shown.
const TIER_CODES = ['grid', 'community', 'street', 'district', 'city', 'department'];

let browser;
let codes;
before(async () => {
  browser = await launch(chromium);
  const labels = await (await fetch(`${BASE}/api/v1/labels`)).json();
  codes = [...Object.values(labels).flatMap((group) => Object.keys(group)), ...TIER_CODES];
});
after(async () => { await browser?.close(); });

async function phone(geo) {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, bypassCSP: true,
    permissions: geo ? ['geolocation'] : [], geolocation: geo,
  });
  return { context, page: await context.newPage() };
}

async function check(page, what) {
  await page.waitForLoadState('load');
  const shown = await codeNamesOn(page, codes);
  assert.deepEqual(shown, [], `${what}: code names shown`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= page.viewportSize().width, `${what}: ${width}px wide on a phone`);
  const axe = await axeViolations(page);
  assert.deepEqual(axe, [], `${what}: accessibility`);
}

test('the grid worker acknowledges the live emergency and checks in on site', async () => {
  // Where the phone says it is: inside the demo city.
  const live = await (await fetch(`${BASE}/api/v1/labels`)).ok;
  assert.ok(live, 'the server answers');
  const { context, page } = await phone({ latitude: 31.3, longitude: 120.62 });
  await login(page, 'grid');
  await page.goto(`${BASE}/emergencies`);
  await check(page, 'the list of emergencies');
  const rows = page.locator('#emergency-list tbody tr a');
  assert.ok(await rows.count() >= 1, 'the live emergency is listed');
  await Promise.all([page.waitForNavigation(), rows.first().click()]);
  assert.match(new URL(page.url()).pathname, /^\/emergencies\/\d+$/);
  await check(page, 'the live board');
  // Every level alerted at once, by name.
  const levels = await page.locator('#levels tbody tr').allTextContents();
  for (const name of ['网格', '社区', '街道', '区', '市']) {
    assert.ok(levels.some((l) => l.includes(name)), `${name} is on the board: ${levels}`);
  }
  // The timer since the report ticks every second.
  const t1 = await page.textContent('#since-report');
  await page.waitForTimeout(1500);
  const t2 = await page.textContent('#since-report');
  assert.notEqual(t1, t2, 'the timer ticks');
  assert.match(t2, /^\d+:\d\d$/);

  await Promise.all([page.waitForNavigation(), page.click('#acknowledge')]);
  assert.match(await page.textContent('#emergency-done'), /已签收/);
  const grid = await page.textContent('#levels tr[data-tier="grid"] td.ack');
  assert.doesNotMatch(grid, /未签收/, 'the grid level shows who and when');
  assert.equal(await page.locator('#acknowledge').count(), 0, 'no second acknowledgement');

  const before = await page.locator('#check-ins tr.check-in').count();
  await Promise.all([page.waitForNavigation(), page.click('#check-in')]);
  assert.match(await page.textContent('#emergency-done'), /已到场报到/);
  const after = await page.locator('#check-ins tr.check-in').count();
  assert.equal(after, before + 1, 'the check-in is in the table');
  const last = page.locator('#check-ins tr.check-in').last();
  assert.equal(Number(await last.getAttribute('data-lon')).toFixed(2), '120.62');
  // Drawn on the map (Leaflet draws circle markers as SVG paths).
  const markers = await page.locator('#emergency-map path.leaflet-interactive').count();
  assert.ok(markers >= after, `${markers} shapes on the map`);
  await check(page, 'the board after checking in');
  await page.screenshot({ path: `${SHOTS}/emergency-board.png`, fullPage: true });
  // The live part refreshes itself.
  const fetched = page.waitForResponse((r) => /\/emergencies\/\d+\/live$/.test(r.url()), { timeout: 8000 });
  assert.equal((await fetched).status(), 200);
  await context.close();
});

test('the street reads the finished drill with its summary', async () => {
  const { context, page } = await phone();
  await login(page, 'street');
  await page.goto(`${BASE}/emergencies?drill=1&all=1`);
  await check(page, 'the drills');
  const drill = page.locator('#emergency-list tbody tr a').first();
  assert.match(await drill.textContent(), /演练/);
  await Promise.all([page.waitForNavigation(), drill.click()]);
  assert.match(await page.textContent('#drill-label'), /演练/);
  const summary = await page.locator('#summary tbody tr').allTextContents();
  assert.ok(summary.length >= 5, `a line per level: ${summary}`);
  assert.ok(summary.some((l) => /网格\s*1:35/.test(l)), `the grid took 1:35: ${summary}`);
  assert.ok(summary.some((l) => /未签收/.test(l)), 'a level that never acknowledged says so');
  await check(page, 'the drill summary');
  await page.screenshot({ path: `${SHOTS}/emergency-drill.png`, fullPage: true });
  await context.close();
});
