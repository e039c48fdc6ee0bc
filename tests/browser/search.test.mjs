// 查询 on a 375 px phone: the street's staff search the demo city's cases by a word, see the
// word marked in each hit's passage, narrow the hits to cases in a state by the filters, and
// click through to the case. A resident finds no one else's case. Every page passed fits the
// phone, shows names, not codes, and has no serious or critical axe-core violation.
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

async function phone() {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, bypassCSP: true });
  return { context, page: await context.newPage() };
}

async function check(page, what) {
  await page.waitForLoadState('load');
  assert.deepEqual(await codeNamesOn(page, codes), [], `${what}: code names shown`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= page.viewportSize().width, `${what}: ${width}px wide on a phone`);
  assert.deepEqual(await axeViolations(page), [], `${what}: accessibility`);
}

async function go(page, click) {
  await Promise.all([page.waitForNavigation(), click()]);
}

test('staff search by a word, see it marked, filter by kind and state, and open the case', async () => {
  const { page } = await phone();
  await login(page, 'street');
  await page.goto(`${BASE}/search`);
  await check(page, 'the empty search page');
  await page.fill('#search-q', '居民');
  await go(page, () => page.click('#search-go'));
  await check(page, 'the hits');
  const total = Number(await page.textContent('#search-total'));
  assert.ok(total > 0, 'the demo city has cases about 居民');
  const marked = await page.locator('#search-hits .snippet b').allTextContents();
  assert.ok(marked.length > 0 && marked.every((w) => w === '居民'), `marked words: ${marked.slice(0, 5)}`);
  await page.screenshot({ path: `${SHOTS}/search-hits.png`, fullPage: true });

  // Filters: cases only, then in the state of the first case found (by its name).
  await page.click('details.more summary');
  await page.selectOption('#search-kind', 'case');
  await go(page, () => page.click('#search-go'));
  const first = await page.locator('#search-hits .hit-meta').first().textContent();
  const stateNames = await page.locator('#search-state option').allTextContents();
  const stateName = stateNames.find((n) => n !== '全部' && first.split(' · ').includes(n));
  assert.ok(stateName, `a state's name in "${first}"`);
  await page.selectOption('#search-state', { label: stateName });
  await go(page, () => page.click('#search-go'));
  await check(page, 'the filtered hits');
  const kinds = await page.locator('#search-hits li.hit').evaluateAll((els) => els.map((e) => e.dataset.kind));
  assert.ok(kinds.length > 0, `cases ${stateName} about 居民 are found`);
  assert.ok(kinds.every((k) => k === 'case'), `kinds: ${kinds}`);
  const metas = await page.locator('#search-hits .hit-meta').allTextContents();
  assert.ok(metas.every((m) => m.split(' · ').includes(stateName)), `every hit is ${stateName}, by its name`);
  const filtered = Number(await page.textContent('#search-total'));
  assert.ok(filtered <= total, `${filtered} of ${total}`);

  // Through to the case.
  await go(page, () => page.locator('#search-hits li.hit a').first().click());
  assert.match(new URL(page.url()).pathname, /^\/cases\/\d+$/);
  await check(page, 'the case found');
});

test('a resident finds no case but their own', async () => {
  const { page } = await phone();
  await login(page, 'resident');
  await page.goto(`${BASE}/search?q=${encodeURIComponent('居民')}&kind=case`);
  await check(page, 'the resident\'s hits');
  const r = await page.evaluate(async () => (await fetch('/api/v1/search?kind=case&per_page=100')).json());
  const mine = await page.evaluate(async () => (await fetch('/api/v1/cases?per_page=500')).json());
  const listed = new Set(mine.items.map((c) => String(c.id)));
  assert.ok(r.items.every((h) => listed.has(h.id)), 'every case found is one the resident reported');
  assert.equal(r.total, mine.total);
});
