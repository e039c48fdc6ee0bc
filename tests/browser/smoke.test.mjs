// Browser smoke test: a real gongzhi server (GONGZHI_URL), Debian's chromium, a 375 px phone screen.
// Every demo role logs in and sees its dashboard in Chinese; the map draws the grids; a grid
// click opens its popup. Screenshots go to SHOT_DIR for people to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BASE = process.env.GONGZHI_URL ?? 'http://127.0.0.1:8080';
const PASSWORD = process.env.GONGZHI_DEMO_PASSWORD ?? 'demo2026pass';
const SHOTS = process.env.SHOT_DIR ?? 'screenshots';
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

async function login(page, user) {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(`${BASE}/`), page.click('button[type=submit]')]);
}

const ROLES = ['admin', 'district', 'street', 'community', 'grid', 'department', 'party', 'supervisor', 'resident'];

for (const user of ROLES) {
  test(`${user} logs in on a phone and sees the dashboard`, async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await login(page, user);
    assert.match(await page.textContent('h1'), /工作台/);
    // Nothing overflows the phone's width.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `page is ${width}px wide on a 375px screen`);
    await page.screenshot({ path: `${SHOTS}/${user}-home.png`, fullPage: true });
    await context.close();
  });
}

test('the grid map draws grids and a click shows the grid', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await login(page, 'district');
  await page.goto(`${BASE}/map`);
  await page.waitForFunction(() => document.querySelectorAll('path.leaflet-interactive').length > 0, null, { timeout: 15000 });
  const drawn = await page.$$eval('path.leaflet-interactive', (p) => p.length);
  const count = Number(await page.textContent('#grid-count'));
  assert.ok(count >= 400, `map lists ${count} grids`);
  assert.equal(drawn, count, 'every grid is drawn');
  // Case clusters sit over the grids (map.test.mjs tests them): off, so the click finds a grid.
  if (await page.locator('#layer-cases').count()) {
    await page.click('#map-panel summary');
    await page.uncheck('#layer-cases');
  }
  await page.locator('#map').scrollIntoViewIfNeeded();
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForSelector('.leaflet-popup-content', { timeout: 10000 });
  const popup = await page.textContent('.leaflet-popup-content');
  assert.match(popup, /网格编码 \d{15}/);
  assert.match(popup, /户数：\d+/);
  await page.screenshot({ path: `${SHOTS}/district-map.png` });
  await context.close();
});

test('a grid worker sees masked residents and English on request', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await login(page, 'grid');
  await page.goto(`${BASE}/residents`);
  const cells = await page.$$eval('td', (tds) => tds.map((t) => t.textContent.trim()));
  assert.ok(cells.some((c) => /^\d{6}\*{10}\d[\dX]$/.test(c)), 'ID numbers are shown masked (first 6 and last 2)');
  assert.ok(!cells.some((c) => /^\d{17}[\dX]$/.test(c)), 'no full ID number on the page');
  assert.ok(!cells.some((c) => /^1\d{10}$/.test(c)), 'no full phone number on the page');
  await page.screenshot({ path: `${SHOTS}/grid-residents.png`, fullPage: true });
  await page.goto(`${BASE}/lang/en`);
  await page.goto(`${BASE}/households`);
  assert.match(await page.textContent('h1'), /Households/);
  await context.close();
});

test('a resident reports on a phone by tapping the map, then tracks the report', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`${BASE}/report`);
  await page.waitForFunction(() => document.querySelectorAll('#map path.leaflet-interactive').length > 0, null, { timeout: 15000 });
  await page.selectOption('#category', 'E0102');
  assert.match(await page.textContent('#guidance'), /照片|门牌/);
  // Case clusters sit over the grids (map.test.mjs tests them): off, so the click finds a grid.
  if (await page.locator('#layer-cases').count()) {
    await page.click('#map-panel summary');
    await page.uncheck('#layer-cases');
  }
  await page.locator('#map').scrollIntoViewIfNeeded();
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  assert.ok(Number(await page.inputValue('#lat')) > 0, 'tapping the map sets the point');
  await page.fill('textarea[name=description]', '小区门口垃圾堆放多日无人清运');
  await Promise.all([page.waitForLoadState('load'), page.click('#report-submit')]);
  const code = (await page.textContent('#lookup-code')).trim();
  assert.match(code, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
  await page.screenshot({ path: `${SHOTS}/resident-report.png`, fullPage: true });
  await page.goto(`${BASE}/track?code=${code}`);
  const timeline = await page.textContent('table');
  assert.match(timeline, /派遣|立案/);
  await page.screenshot({ path: `${SHOTS}/resident-track.png`, fullPage: true });
  await context.close();
});

test('a department sees the dispatched report in its inbox', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await login(page, 'department');
  await page.goto(`${BASE}/inbox`);
  assert.match(await page.textContent('h1'), /待办/);
  await page.screenshot({ path: `${SHOTS}/department-inbox.png`, fullPage: true });
  await context.close();
});
