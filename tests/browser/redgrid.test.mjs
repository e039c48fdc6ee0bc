// 红色网格 on a 375 px phone, through the pages only: a red grid member logs in, goes from its
// work-first home to its households, opens one, records a visit with a photo, and raises a case
// from that visit, which lands on the new case's page. The community's staff see the coverage
// (table, map layer) and manage a grid. Every page passed shows names, not codes, fits the
// phone, and has no serious or critical axe-core violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { login, launch, codeNamesOn, axeViolations, BASE } from './walk.mjs';

const SHOTS = process.env.SHOT_DIR ?? 'screenshots';
mkdirSync(SHOTS, { recursive: true });
// A 1×1 PNG: the photo taken on the visit.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let browser;
let codes;
before(async () => {
  browser = await launch(chromium);
  const labels = await (await fetch(`${BASE}/api/v1/labels`)).json();
  codes = Object.values(labels).flatMap((group) => Object.keys(group));
  assert.ok(codes.includes('red_member') && codes.includes('conflict_mediation'), 'the red grid codes are in the label dictionary');
});
after(async () => { await browser?.close(); });

async function phone() {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, bypassCSP: true });
  return { context, page: await context.newPage() };
}

// The page as its user sees it: names, not codes, within the phone's width, no serious or
// critical accessibility violation.
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

test('a red grid member records a visit to a linked household and raises a case from it', async () => {
  const { context, page } = await phone();
  await login(page, 'red');
  await check(page, 'home');
  // Work first: the home page's one primary action is its households, with what is due.
  assert.equal(await page.getAttribute('#home-action', 'href'), '/red-grid/households');
  assert.ok(await page.locator('#work-visits_due').count(), 'the home page counts households due for a visit');
  await go(page, () => page.click('#home-action'));
  await check(page, 'my households');
  const households = page.locator('#my-households a.household-link');
  assert.ok(await households.count() > 0, 'the demo red grid member serves households');

  await go(page, () => households.first().click());
  await check(page, 'a linked household');
  const householdPath = new URL(page.url()).pathname;
  assert.match(householdPath, /^\/red-grid\/households\/\d+$/);

  await go(page, () => page.click('#record-visit'));
  await check(page, 'record a visit');
  const note = `楼道灯坏了，老人夜里看不见台阶（${Date.now()}）`;
  await page.selectOption('#visit-purpose', { label: '矛盾调解' });
  assert.ok(await page.isVisible('#mediation-parties'), 'a conflict mediation asks for its parties');
  await page.selectOption('#visit-purpose', { label: '排忧解难' });
  assert.ok(await page.isHidden('#mediation-parties'), 'other visits do not');
  await page.fill('#visit-notes', note);
  await page.setInputFiles('input[name=photo]', { name: 'visit.png', mimeType: 'image/png', buffer: PNG });
  await page.screenshot({ path: `${SHOTS}/redgrid-visit-form.png`, fullPage: true });
  await go(page, () => page.click('#visit-submit'));
  assert.equal(new URL(page.url()).pathname, householdPath, 'back on the household');
  const saved = page.locator('.flash.ok');
  await saved.waitFor({ timeout: 10000 });
  assert.match(await saved.textContent(), /走访已记录/);
  await check(page, 'the household after the visit');
  const row = page.locator('#visits tbody tr', { hasText: note });
  assert.equal(await row.count(), 1, 'the visit is in the diary');
  const photo = row.locator('a', { hasText: '照片' });
  assert.ok(await photo.count(), 'with its photo');
  const img = await page.request.get(`${BASE}${await photo.getAttribute('href')}`);
  assert.equal(img.status(), 200);
  assert.equal(img.headers()['content-type'], 'image/png');

  await go(page, () => row.locator('a.raise-case').click());
  await check(page, 'raise a case');
  assert.ok((await page.inputValue('#case-description')).includes(note), 'the visit\'s notes describe the case');
  const options = await page.$$eval('#case-category option', (os) => os.map((o) => o.textContent.trim()));
  assert.ok(options.length > 0, 'categories to choose from');
  // A kind a visit finds (物业管理), not the first of the list, which other tests report in.
  await page.selectOption('#case-category', { label: options.includes('物业管理') ? '物业管理' : options[options.length - 1] });
  await go(page, () => page.click('#case-submit'));
  const casePath = new URL(page.url()).pathname;
  assert.match(casePath, /^\/cases\/\d+$/, `lands on the new case: ${page.url()}`);
  const filed = page.locator('.flash.ok');
  await filed.waitFor({ timeout: 10000 });
  await check(page, 'the raised case');
  await page.screenshot({ path: `${SHOTS}/redgrid-case.png`, fullPage: true });
  assert.ok((await page.textContent('main')).includes('民情走访'), 'the case came from a household visit');

  // The visit now names its case; it cannot be raised twice.
  await page.goto(`${BASE}${householdPath}`);
  const raised = page.locator('#visits tbody tr', { hasText: note });
  assert.equal(await raised.locator(`a[href="${casePath}"]`).count(), 1, 'the visit links its case');
  assert.equal(await raised.locator('a.raise-case').count(), 0);
  await context.close();
});

test('the community sees coverage as a table and a map layer, and manages a grid', async () => {
  const { context, page } = await phone();
  await login(page, 'community');
  await page.goto(`${BASE}/red-grid`);
  await check(page, 'coverage');
  const unlinked = await page.textContent('#coverage-total');
  assert.match(unlinked, /无红色网格员联系/);
  const grids = page.locator('#coverage tbody a[href^="/red-grid/grids/"]');
  assert.ok(await grids.count() > 0, 'grids to manage');
  await go(page, () => grids.first().click());
  await check(page, 'a grid\'s roles and households');
  const roles = await page.textContent('#grid-roles');
  for (const role of ['网格长', '网格指导员', '红色网格员']) assert.ok(roles.includes(role), `the grid has its ${role}`);
  await page.goto(`${BASE}/red-grid/visits`);
  await check(page, 'visit diary');
  await page.goto(`${BASE}/red-grid/mediations`);
  await check(page, 'mediations');
  assert.match(await page.textContent('#mediation-counts'), /化解矛盾/);
  await context.close();

  // The map's coverage layer.
  const desk = await browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
  const map = await desk.newPage();
  await login(map, 'community');
  await map.goto(`${BASE}/map?layer=red_grid`);
  await map.waitForLoadState('load');
  assert.ok(await map.isChecked('#red-grid-layer'), 'the layer is on');
  await map.waitForFunction(() => document.querySelectorAll('.leaflet-overlay-pane path').length > 0, null, { timeout: 15000 });
  await map.screenshot({ path: `${SHOTS}/redgrid-map.png` });
  assert.deepEqual(await codeNamesOn(map, codes), [], 'map: code names shown');
  assert.deepEqual(await axeViolations(map), [], 'map: accessibility');
  await desk.close();
});
