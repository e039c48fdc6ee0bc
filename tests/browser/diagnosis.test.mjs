// 诊断 on a 375 px phone, as the district: the findings page with a tab per kind and the test
// used stated on it, a hotspot's page with its cases (one opens), and a seven-day supervision
// order opened from the finding, ending on the order's page with its success message. Every
// page: no horizontal scroll, names not codes, no serious or critical axe-core violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { login, launch, codeNamesOn, axeViolations, BASE } from './walk.mjs';

const SHOTS = process.env.SHOT_DIR ?? 'screenshots';
mkdirSync(SHOTS, { recursive: true });

// The finding kinds' own codes must never be shown.
const FINDING_CODES = ['hotspot', 'recurrence', 'lagging', 'passed_around', 'monthly_topic'];

let browser;
let codes;
before(async () => {
  browser = await launch(chromium);
  const labels = await (await fetch(`${BASE}/api/v1/labels`)).json();
  codes = [...Object.values(labels).flatMap((group) => Object.keys(group)), ...FINDING_CODES];
});
after(async () => { await browser?.close(); });

async function phone() {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, bypassCSP: true });
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

test('the district reads the findings, opens a hotspot and its cases, and supervises it', async () => {
  const { context, page } = await phone();
  await login(page, 'district');
  await page.goto(`${BASE}/diagnosis`);
  await check(page, 'the findings (hotspots)');
  assert.equal(await page.locator('#diagnosis-tabs a').count(), 5, 'a tab per kind');
  assert.match(await page.textContent('#diagnosis-method'), /泊松/, 'the test used is stated');
  assert.match(await page.textContent('#diagnosis-method'), /Bonferroni/);
  const hotspots = page.locator('#finding-list a.finding-link');
  assert.ok(await hotspots.count() >= 1, 'hotspots are shown');
  await page.screenshot({ path: `${SHOTS}/diagnosis-hotspots.png`, fullPage: true });

  for (const tab of ['recurrence', 'lagging', 'passed_around', 'monthly_topic']) {
    await Promise.all([page.waitForNavigation(), page.click(`#tab-${tab}`)]);
    await check(page, `the ${tab} tab`);
  }
  assert.ok(await page.locator('#finding-list a.finding-link').count() >= 1, 'problem-of-the-month candidates');

  await Promise.all([page.waitForNavigation(), page.click('#tab-hotspot')]);
  await Promise.all([page.waitForNavigation(), page.locator('#finding-list a.finding-link').first().click()]);
  assert.match(new URL(page.url()).pathname, /^\/diagnosis\/findings\/\d+$/);
  await check(page, 'a hotspot');
  assert.match(await page.textContent('#finding-evidence'), /p = /);
  const cases = page.locator('#finding-cases tbody a');
  assert.ok(await cases.count() >= 5, 'the hotspot lists its cases');
  const findingUrl = page.url();
  await page.screenshot({ path: `${SHOTS}/diagnosis-hotspot.png`, fullPage: true });

  // One of its cases opens.
  await Promise.all([page.waitForNavigation(), cases.first().click()]);
  assert.match(new URL(page.url()).pathname, /^\/cases\/\d+$/);
  await page.goto(findingUrl);

  // A supervision order from the finding.
  await page.click('#supervise-box summary');
  await page.fill('#supervise-form textarea[name=demand]', '请七日内查明该网格同类问题集中的原因并整治');
  await Promise.all([page.waitForNavigation(), page.click('#supervise-form button[type=submit]')]);
  assert.match(new URL(page.url()).pathname, /^\/supervision\/\d+$/);
  assert.match(await page.textContent('#supervision-done'), /督办已发出/);
  assert.match(await page.textContent('main'), /诊断发现·热点/);
  await check(page, 'the order opened from the finding');
  await page.screenshot({ path: `${SHOTS}/diagnosis-supervised.png`, fullPage: true });

  // The finding now says what was done, and offers no second order.
  await page.goto(findingUrl);
  assert.match(await page.textContent('#finding-acted'), /已督办/);
  assert.equal(await page.locator('#supervise-form').count(), 0);
  await check(page, 'the finding acted on');
  await context.close();
});
