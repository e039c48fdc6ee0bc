// 有事好商量 on a 375 px phone, through the pages only: the demo resident goes from its home
// page to the topics gathering support, supports one (its count goes up by one, and it cannot
// support it twice), and reads its community's public results page — resolutions with the
// state of their cases, motion results with their numbers, meetings held — which also opens
// without an account. Every page passed shows names, not codes, fits the phone, and has no
// serious or critical axe-core violation. The community's staff see the lists with filters and
// workbooks, and a meeting's motions.
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
  assert.ok(codes.includes('two_thirds') && codes.includes('owners_committee'), 'the deliberation codes are in the label dictionary');
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

async function go(page, click) {
  await Promise.all([page.waitForNavigation(), click()]);
}

test('a resident supports a topic and reads the public results page', async () => {
  const { context, page } = await phone();
  await login(page, 'resident');
  await check(page, 'home');
  // From the home page: the topics (the menu's 议事协商, or the tile of its own topics).
  const entry = page.locator('a[href="/deliberation"]').first();
  assert.ok(await entry.count(), 'the home page leads to deliberation');
  await page.goto(`${BASE}/deliberation`);
  await check(page, 'topics');
  const open = page.locator('#open-topics a.topic-link');
  assert.ok(await open.count() > 0, 'the demo community has topics gathering support');

  // The first topic the resident has not supported yet.
  let supported = false;
  const n = await open.count();
  for (let i = 0; i < n && !supported; i++) {
    await page.goto(`${BASE}/deliberation`);
    await go(page, () => page.locator('#open-topics a.topic-link').nth(i).click());
    await check(page, 'a topic');
    if (!(await page.locator('#support-topic').count())) continue;
    const before = Number(await page.textContent('#supports'));
    const path = new URL(page.url()).pathname;
    await page.screenshot({ path: `${SHOTS}/deliberation-topic.png`, fullPage: true });
    await go(page, () => page.click('#support-topic'));
    assert.equal(new URL(page.url()).pathname, path, 'back on the topic');
    const done = page.locator('.flash.ok');
    await done.waitFor({ timeout: 10000 });
    assert.match(await done.textContent(), /已支持/);
    await check(page, 'the topic after the support');
    assert.equal(Number(await page.textContent('#supports')), before + 1, 'one more support');
    assert.equal(await page.locator('#support-topic').count(), 0, 'not twice');
    assert.ok(await page.locator('#supported').count());
    supported = true;
  }
  assert.ok(supported, 'a topic to support');

  // The community's public results, from the topic.
  await go(page, () => page.click('#results-link'));
  assert.match(new URL(page.url()).pathname, /^\/c\/\d{12}\/results$/);
  await check(page, 'public results');
  await page.screenshot({ path: `${SHOTS}/deliberation-results.png`, fullPage: true });
  const main = await page.textContent('main');
  assert.ok(main.includes('议事结果公开'));
  assert.ok(await page.locator('.resolution').count() > 0, 'resolutions shown');
  assert.ok(main.includes('已办结'), 'a resolution item done: its case closed');
  assert.ok(Number(await page.textContent('#items-done')) > 0);
  assert.ok((await page.textContent('#motions')).includes('未通过'), 'the vote short of its quorum');
  assert.ok((await page.textContent('#motions')).includes('通过'));
  assert.ok(await page.locator('#meetings tbody tr').count() > 0, 'meetings held');
  const url = page.url();
  await context.close();

  // Without an account: the same page, no personal data.
  const anon = await browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
  const p2 = await anon.newPage();
  const r = await p2.goto(url);
  assert.equal(r.status(), 200);
  await check(p2, 'public results without an account');
  const text = await p2.textContent('main');
  assert.doesNotMatch(text, /1[3-9]\d{9}/, 'no phone numbers');
  assert.doesNotMatch(text, /居民张三/, 'no resident names');
  await anon.close();
});

test('the community runs deliberation: lists with filters and workbooks, a meeting with its votes', async () => {
  const { context, page } = await phone();
  await login(page, 'community');
  await check(page, 'home');
  assert.ok(await page.locator('#work-topics_waiting').count(), 'the home page counts topics waiting');
  await page.goto(`${BASE}/deliberation?status=tabled`);
  await check(page, 'tabled topics');
  // The workbook link carries the filters (downloading it is the API test's: an export is
  // audited under the account's login name, which the admin's audit page walk would flag).
  assert.match(await page.getAttribute('#topics-export', 'href'), /^\/api\/v1\/deliberation\/topics\.xlsx\?status=tabled$/);
  await page.goto(`${BASE}/deliberation/meetings`);
  await check(page, 'meetings');
  const meetings = page.locator('#meetings tbody a');
  assert.ok(await meetings.count() >= 2, 'a meeting held and one coming');
  await go(page, () => meetings.last().click());
  await check(page, 'a meeting');
  assert.ok(await page.locator('.motion').count() > 0, 'its motions');
  await page.goto(`${BASE}/deliberation/resolutions`);
  await check(page, 'resolutions');
  const res = page.locator('#resolutions tbody a');
  assert.ok(await res.count() > 0);
  await go(page, () => res.first().click());
  await check(page, 'a resolution');
  await context.close();
});
