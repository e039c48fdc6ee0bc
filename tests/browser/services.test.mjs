// 一有七中心 on a 375 px phone, through the pages only: the demo resident (an elder of the demo
// community) opens the service centres from its home page, books 老年助餐 on the last day
// offered, sees it under 我的服务; the centre's staff (`centre`) find it on their work-first home
// page, assign it and complete it with notes and a photo; the resident then rates it and sees
// the rating. Every page passed shows names, not codes, fits the phone, and has no serious or
// critical axe-core violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { login, launch, codeNamesOn, axeViolations, BASE } from './walk.mjs';

const SHOTS = process.env.SHOT_DIR ?? 'screenshots';
mkdirSync(SHOTS, { recursive: true });
// A 1×1 PNG: the photo taken when the service is done.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

let browser;
let codes;
before(async () => {
  browser = await launch(chromium);
  const labels = await (await fetch(`${BASE}/api/v1/labels`)).json();
  codes = Object.values(labels).flatMap((group) => Object.keys(group));
  assert.ok(codes.includes('elder_care') && codes.includes('living_alone'), 'the service codes are in the label dictionary');
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

test('a resident books a service, the centre completes it, the resident rates it', async () => {
  const resident = await phone();
  let page = resident.page;
  await login(page, 'resident');
  await check(page, 'resident home');
  assert.ok(await page.locator('#work-service_orders_open').count(), 'the home page counts the services booked');
  // Work first: the home tile of the services booked leads to 我的服务, whose primary action books.
  await go(page, () => page.click('#work-service_orders_open'));
  await check(page, 'my services before');
  await go(page, () => page.click('#book-service'));
  await check(page, 'service centres');
  const lunch = page.locator('tr', { hasText: '老年助餐' }).locator('a.menu-item');
  assert.ok(await lunch.count() > 0, 'the elder-care centre offers 老年助餐');
  await go(page, () => lunch.first().click());
  await check(page, 'the service and its order form');
  // From the last day offered back: no demo order holds a place there; a day this resident
  // booked already (an earlier run) is refused by name, and the next one is tried.
  const days = await page.locator('#order-day option').evaluateAll((os) => os.map((o) => o.value));
  for (const day of days.reverse()) {
    await page.selectOption('#order-day', day);
    await page.screenshot({ path: `${SHOTS}/services-order-form.png`, fullPage: true });
    await go(page, () => page.click('#order-submit'));
    if (/^\/services\/orders\/\d+$/.test(new URL(page.url()).pathname)) break;
    assert.match(await page.textContent('#order-error'), /当天已预约过/, 'only a day booked already is refused');
  }
  assert.match(new URL(page.url()).pathname, /^\/services\/orders\/\d+$/);
  const orderPath = new URL(page.url()).pathname;
  await page.locator('.flash.ok').waitFor({ timeout: 10000 });
  assert.match(await page.textContent('.flash.ok'), /预约成功/);
  assert.match(await page.textContent('#order-state'), /已预约/);
  await check(page, 'the order booked');
  await go(page, () => page.click('main a[href="/services/orders"]'));
  await check(page, 'my services');
  assert.ok(await page.locator(`#service-orders a[href="${orderPath}"]`).count(), 'listed under 我的服务');

  // The centre's staff: work first — today's services, to assign, waiting, overdue.
  const centre = await phone();
  const staff = centre.page;
  await login(staff, 'centre');
  await check(staff, 'centre home');
  for (const tile of ['service_today', 'service_to_assign', 'service_waiting', 'service_overdue']) {
    assert.ok(await staff.locator(`#work-${tile}`).count(), `the centre's home page shows ${tile}`);
  }
  await go(staff, () => staff.click('#work-service_to_assign'));
  await check(staff, 'orders to assign');
  const toAssign = staff.locator(`#service-orders a[href="${orderPath}"]`);
  assert.ok(await toAssign.count(), 'the new order waits to be assigned');
  await go(staff, () => toAssign.click());
  await check(staff, 'the order to assign');
  await staff.fill('#assign-name', '志愿者小陈');
  await go(staff, () => staff.click('#assign-submit'));
  assert.match(await staff.textContent('.flash.ok'), /已派单/);
  await check(staff, 'the order assigned');
  await staff.fill('#complete-notes', '午餐已送到家，老人精神很好');
  await staff.setInputFiles('input[name=photo]', { name: 'done.png', mimeType: 'image/png', buffer: PNG });
  await go(staff, () => staff.click('#complete-submit'));
  assert.match(await staff.textContent('.flash.ok'), /服务已完成/);
  assert.match(await staff.textContent('#order-state'), /已完成/);
  await staff.click('label.menu-button');
  await go(staff, () => staff.click('nav.main a[href="/services"]'));
  await check(staff, 'centres as staff');
  await go(staff, () => staff.click('a[href="/services/manage"]'));
  await check(staff, 'counts and providers');
  await centre.context.close();

  // The resident rates it from the phone.
  await go(page, () => page.goto(`${BASE}${orderPath}`));
  await check(page, 'the order completed');
  assert.match(await page.textContent('#order-state'), /已完成/);
  await page.check('input[name=rating][value=satisfied]');
  await page.screenshot({ path: `${SHOTS}/services-rate.png`, fullPage: true });
  await go(page, () => page.click('#rate-submit'));
  assert.match(await page.textContent('.flash.ok'), /感谢您的评价/);
  assert.match(await page.textContent('#order-rating'), /^满意$/);
  assert.equal(await page.locator('#rate-form').count(), 0, 'rated once');
  await check(page, 'the order rated');
  await resident.context.close();
});
