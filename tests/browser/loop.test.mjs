// The closed loop through the pages only, as its people do it: a resident reports on a phone by
// address search, the street redirects (改派) the case to the right department, the department
// starts and reports back with an after-photo, the street verifies and closes, the resident
// rates. On every page passed: no domain code name in the visible text, nothing wider than a
// 375 px phone where the page is opened on one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { login, launch, codeNamesOn, BASE } from './walk.mjs';

const SHOTS = process.env.SHOT_DIR ?? 'screenshots';
mkdirSync(SHOTS, { recursive: true });
// A 1×1 PNG: the after-photo the handler picks.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let browser;
let codes;
before(async () => {
  browser = await launch(chromium);
  const labels = await (await fetch(`${BASE}/api/v1/labels`)).json();
  codes = Object.values(labels).flatMap((group) => Object.keys(group));
});
after(async () => { await browser?.close(); });

async function phone() {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 });
  return { context, page: await context.newPage() };
}

// The page as its user sees it: names, not codes, and within the phone's width.
async function check(page, what) {
  await page.waitForLoadState('load');
  const shown = await codeNamesOn(page, codes);
  assert.deepEqual(shown, [], `${what}: code names shown`);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const viewport = page.viewportSize().width;
  assert.ok(width <= viewport, `${what}: ${width}px wide on a ${viewport}px screen`);
}

// Submits the case page's form for `command` after `fill` has filled it; waits for the page
// the action leads to and returns its success message.
async function act(page, command, fill = async () => {}) {
  const form = page.locator(`form:has(input[name=command][value=${command}]), form#${command.replace(/_/g, '-')}`).first();
  await form.waitFor({ timeout: 10000 });
  await fill(form);
  page.once('dialog', (d) => d.accept());
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  const ok = page.locator('.flash.ok');
  await ok.waitFor({ timeout: 10000 });
  return (await ok.textContent()).trim();
}

test('a report goes round the whole loop through the pages only', async () => {
  // The department account's department is where the case belongs.
  const dept = await phone();
  await login(dept.page, 'department');
  const me = await (await dept.page.request.get(`${BASE}/api/v1/me`)).json();
  const home = String(me.account?.scope ?? '').replace(/^department:/, '');
  assert.ok(home, `the department account has a department: ${JSON.stringify(me)}`);

  // 1. The resident, on a phone, not signed in: category in two steps, place by address search.
  const resident = await phone();
  let page = resident.page;
  await page.goto(`${BASE}/report`);
  await check(page, 'report form');
  const cats = await page.$$eval('#category optgroup', (gs) => gs.map((g) => ({ label: g.label, codes: [...g.querySelectorAll('option')].map((o) => o.value) })));
  assert.ok(cats.length > 1, 'categories come in groups');
  assert.equal(await page.inputValue('#category'), '', 'no category is preselected');
  const group = cats.find((g) => g.codes.length) ?? cats[0];
  await page.selectOption('#category-major', { label: group.label });
  await page.selectOption('#category', group.codes[0]);
  // A place in the street whose account will handle the report, found the way the resident
  // finds it: by typing its name into the address search.
  const streetCtx = await phone();
  await login(streetCtx.page, 'street');
  const streetMe = await (await streetCtx.page.request.get(`${BASE}/api/v1/me`)).json();
  const streetCode = String(streetMe.account.scope).replace(/^area:/, '');
  const streetArea = await (await streetCtx.page.request.get(`${BASE}/api/v1/areas/${streetCode}`)).json();
  const streetName = (streetArea.area ?? streetArea).name.replace(/街道$/, '');
  const place = (await (await page.request.get(`${BASE}/api/v1/places/search?q=${encodeURIComponent(streetName)}`)).json())
    .find((h) => h.street_code === streetCode && h.kind !== 'road');
  assert.ok(place, `the address search knows places in ${streetName}`);
  await page.fill('#place-search', place.name);
  // Two compounds of one name may lie in different streets: pick the hit in this street.
  const streetFull = (streetArea.area ?? streetArea).name;
  await page.locator('#place-hits button', { hasText: streetFull }).first().click();
  assert.ok(Number(await page.inputValue('#lat')) > 0, 'picking a hit sets the point');
  await page.fill('textarea[name=description]', '路灯不亮，晚上经过很危险');
  const invalid = await page.$$eval('form[action="/report"] :invalid', (els) => els.map((e) => e.name || e.id));
  assert.deepEqual(invalid, [], 'the report form is complete');
  await Promise.all([page.waitForNavigation(), page.click('#report-submit')]);
  await check(page, 'report result');
  assert.equal(await page.locator('form[action="/report"] textarea').count(), 0, 'the result replaces the form');
  const code = (await page.textContent('#lookup-code')).trim();
  await page.screenshot({ path: `${SHOTS}/loop-1-reported.png`, fullPage: true });

  // 2. The street finds it by its lookup code and redirects it to the department it belongs to.
  const street = streetCtx;
  page = street.page;
  await page.goto(`${BASE}/cases?lookup=${encodeURIComponent(code)}`);
  await check(page, 'case search');
  await Promise.all([page.waitForNavigation(), page.locator('table.data a[href^="/cases/"]').first().click()]);
  const caseUrl = page.url();
  await check(page, 'case page (street)');
  if (await page.locator('form:has(input[name=command][value=register])').count()) {
    await act(page, 'register');
  }
  const elsewhere = async (form) => {
    const options = await form.locator('select[name=department] option').evaluateAll((os) => os.map((o) => o.value));
    await form.locator('select[name=department]').selectOption(options.find((v) => v && v !== home));
  };
  if (await page.locator('form:has(input[name=command][value=dispatch])').count()) {
    await act(page, 'dispatch', elsewhere);
  }
  let current = await (await page.request.get(`${caseUrl.replace('/cases/', '/api/v1/cases/')}`)).json();
  if (current.department === home) {
    await act(page, 'redirect', async (form) => { await elsewhere(form); await form.locator('[name=note]').fill('先派到别处，测试改派'); });
  }
  const redirected = await act(page, 'redirect', async (form) => {
    await form.locator('select[name=department]').selectOption(home);
    await form.locator('[name=note]').fill('属于本部门职责，改派');
  });
  assert.match(redirected, /改派/);
  await check(page, 'case page after redirect');
  await page.screenshot({ path: `${SHOTS}/loop-2-redirected.png`, fullPage: true });

  // 3. The department starts and reports back with an after-photo.
  page = dept.page;
  await page.goto(caseUrl);
  await check(page, 'case page (department)');
  await act(page, 'start');
  await act(page, 'report_back', async (form) => {
    await form.locator('[name=note]').fill('已更换灯泡，恢复照明');
    await form.locator('input[type=file]').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: PNG });
  });
  await check(page, 'case page after report-back');
  assert.ok(await page.locator('#photos-after img').count() >= 1, 'the after-photo is shown');
  await page.screenshot({ path: `${SHOTS}/loop-3-reported-back.png`, fullPage: true });

  // 4. The street verifies and closes.
  page = street.page;
  await page.goto(caseUrl);
  await act(page, 'verify', async (form) => { await form.locator('[name=note]').fill('现场核查，路灯已亮'); });
  await act(page, 'close');
  await check(page, 'case page after closing');

  // 5. The resident rates it and is thanked.
  page = resident.page;
  await page.goto(`${BASE}/track?code=${encodeURIComponent(code)}`);
  await check(page, 'track page');
  await page.check('input[name=contacted]');
  await page.check('input[name=resolved]');
  await page.selectOption('select[name=satisfaction]', 'satisfied');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/track/act"] button[type=submit]')]);
  await check(page, 'track page after rating');
  assert.match(await page.textContent('.flash.ok'), /谢谢|感谢/);
  await page.screenshot({ path: `${SHOTS}/loop-5-rated.png`, fullPage: true });

  for (const s of [dept, resident, street]) await s.context.close();
});
