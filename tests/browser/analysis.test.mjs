// 数据分析 (the dashboards over the rollup cube, decision 035) on a 375 px phone: the street
// account opens the page and sees the charts drawn and the same numbers in tables; choosing a
// channel changes the numbers; the Excel export downloads a workbook. Names, not codes; the page
// fits the phone and has no serious or critical axe-core violation.
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
  await page.waitForLoadState('load');
  assert.deepEqual(await codeNamesOn(page, codes), [], `${what}: code names shown`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= page.viewportSize().width, `${what}: ${width}px wide on a phone`);
  assert.deepEqual(await axeViolations(page), [], `${what}: accessibility`);
}

// The headline figures: label → text.
async function kpis(page) {
  return page.$$eval('#kpis .kpi', (ks) => Object.fromEntries(ks.map((k) => [k.querySelector('span').textContent.trim(), k.querySelector('b').textContent.trim()])));
}

test('the dashboard draws its charts beside tables, a filter changes the numbers, the export downloads', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, bypassCSP: true, acceptDownloads: true });
  const page = await context.newPage();
  await login(page, 'street');
  // The demo's cases are the last 90 days: a range from 100 days ago cuts a month at each end.
  const day = (n) => new Date(Date.now() + 8 * 3600e3 - n * 86400e3).toISOString().slice(0, 10);
  await page.goto(`${BASE}/scorecards?from=${day(100)}&to=${day(0)}`);
  await check(page, 'the dashboard');
  // Every chart drawn by ECharts (a canvas), none fell back to its message.
  const charts = page.locator('[data-chart]');
  const n = await charts.count();
  assert.ok(n >= 5, `${n} charts`);
  for (let i = 0; i < n; i++) {
    await charts.nth(i).locator('canvas').first().waitFor({ timeout: 15000 });
  }
  for (const id of ['#t-trend', '#t-streets', '#t-departments', '#t-majors', '#t-channels', '#t-detail']) {
    assert.ok(await page.locator(`${id} tbody tr`).count() >= 1, `${id} has rows`);
  }
  const all = await kpis(page);
  const reported = Number(all['上报']);
  assert.ok(reported > 0, `cases reported: ${JSON.stringify(all)}`);
  // The channels' table adds up to the headline figure.
  const byChannel = await page.$$eval('#t-channels tbody tr', (rows) => rows.map((r) => Number(r.cells[1].textContent)));
  assert.equal(byChannel.reduce((a, b) => a + b, 0), reported, 'the channels add up to the total');
  await page.screenshot({ path: `${SHOTS}/analysis.png`, fullPage: true });

  // One channel: fewer cases, and the numbers follow.
  await page.selectOption('#f-channel', { label: '12345热线' });
  await Promise.all([page.waitForNavigation(), page.click('#analysis-filters button[type=submit]')]);
  await check(page, 'the dashboard for the hotline');
  assert.equal(new URL(page.url()).searchParams.get('channel'), 'hotline');
  const hotline = Number((await kpis(page))['上报']);
  assert.ok(hotline > 0 && hotline < reported, `hotline ${hotline} of ${reported}`);
  assert.equal(byChannel.includes(hotline), true, 'the hotline figure is its row in the channels table');
  const rows = await page.$$eval('#t-channels tbody tr', (rs) => rs.length);
  assert.equal(rows, 1, 'the channels table lists the hotline alone');

  // The export is the grouping shown, with the same filters.
  const href = await page.getAttribute('#analysis-export', 'href');
  assert.match(href, /^\/api\/v1\/metrics\.xlsx\?.*channel=hotline/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#analysis-export')]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  const path = await download.path();
  const { statSync, readFileSync } = await import('node:fs');
  assert.ok(statSync(path).size > 1000, 'a workbook, not an error');
  assert.equal(readFileSync(path).subarray(0, 2).toString(), 'PK', 'an .xlsx is a zip');
  await context.close();
});
