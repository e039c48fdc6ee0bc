// 公示栏 and 契约化共建 on a 375 px phone, through the pages only. The community's staff publish
// a notice and see the success message; a visitor without an account reads the community's
// board, the new notice with its publication record on the log, a changed notice (已更新) and a
// withdrawn one (title, dates and reason, never the body); the staff withdraw their notice and the
// visitor sees it withdrawn. The department sees its overdue co-build commitments on its home
// page, the co-build pages and its scorecard. Every page passed shows names, not codes, fits the
// phone, and has no serious or critical axe-core violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { login, launch, codeNamesOn, axeViolations, BASE } from './walk.mjs';

const SHOTS = process.env.SHOT_DIR ?? 'screenshots';
mkdirSync(SHOTS, { recursive: true });
// The smallest PDF a reader opens: the attachment staff upload.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let browser;
let codes;
before(async () => {
  browser = await launch(chromium);
  const labels = await (await fetch(`${BASE}/api/v1/labels`)).json();
  codes = Object.values(labels).flatMap((group) => Object.keys(group));
  assert.ok(codes.includes('benefit_policy') && codes.includes('overdue'), 'the notice and co-build codes are in the label dictionary');
});
after(async () => { await browser?.close(); });

async function phone() {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, bypassCSP: true });
  const page = await context.newPage();
  // Withdrawing asks first (confirm.js): the staff answer yes.
  page.on('dialog', (d) => d.accept());
  return { context, page };
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

test('staff publish a notice; a visitor without an account reads the board, the notice and a withdrawn one', async () => {
  const staff = await phone();
  await login(staff.page, 'community');
  await staff.page.goto(`${BASE}/notices`);
  await check(staff.page, 'the staff notice board');
  await go(staff.page, () => staff.page.click('#new-notice'));
  await check(staff.page, 'a new notice');
  const title = `冬季取暖补贴申领通知（${Date.now()}）`;
  await staff.page.selectOption('select[name=kind]', { label: '惠民政策' });
  await staff.page.fill('input[name=title]', title);
  await staff.page.fill('textarea[name=body]', '符合条件的困难家庭可申领冬季取暖补贴。\n\n请携带身份证到社区服务大厅办理。');
  await go(staff.page, () => staff.page.click('#publish'));
  const done = staff.page.locator('#notice-done');
  await done.waitFor({ timeout: 10000 });
  assert.match(await done.textContent(), /公示已发布/);
  assert.match(new URL(staff.page.url()).pathname, /^\/notices\/\d+$/);
  await check(staff.page, 'the published notice');
  await staff.page.screenshot({ path: `${SHOTS}/notices-published.png`, fullPage: true });
  // A PDF attached to it, kept with its hash.
  await staff.page.setInputFiles('input[name=attachment]', { name: '申领表.pdf', mimeType: 'application/pdf', buffer: PDF });
  await go(staff.page, () => staff.page.click('#attach-form button[type=submit]'));
  assert.match(await staff.page.textContent('#notice-done'), /附件已上传/);
  assert.match(await staff.page.textContent('#staff-attachments'), /申领表\.pdf/);
  const publicPath = await staff.page.getAttribute('#public-link', 'href');
  assert.match(publicPath, /^\/c\/\d{12}\/notices\/\d+$/);
  const boardPath = publicPath.replace(/\/\d+$/, '');

  // A visitor: no account, a phone.
  const visitor = await phone();
  await visitor.page.goto(`${BASE}${boardPath}`);
  await check(visitor.page, 'the public board');
  assert.equal(new URL(visitor.page.url()).pathname, boardPath, 'no login asked');
  await visitor.page.screenshot({ path: `${SHOTS}/notices-board.png`, fullPage: true });
  const mine = visitor.page.locator('#notice-board a', { hasText: title });
  assert.equal(await mine.count(), 1, 'the new notice is on the board');
  await go(visitor.page, () => mine.click());
  await check(visitor.page, 'the public notice');
  assert.equal(await visitor.page.locator('#notice-body p').count(), 2, 'two paragraphs');
  assert.match(await visitor.page.textContent('#notice-log'), /发布/);
  const file = visitor.page.locator('#notice-attachments a', { hasText: '申领表.pdf' });
  const got = await visitor.page.request.get(`${BASE}${await file.getAttribute('href')}`);
  assert.equal(got.headers()['content-type'], 'application/pdf', 'the attachment downloads without an account');

  // A notice changed after publication says so.
  await visitor.page.goto(`${BASE}${boardPath}`);
  const changed = visitor.page.locator('#notice-board a', { hasText: '更正' });
  assert.ok(await changed.count() > 0, 'the demo has a changed notice on the board');
  await go(visitor.page, () => changed.first().click());
  await check(visitor.page, 'a changed notice');
  assert.match(await visitor.page.textContent('#notice-updated'), /已更新/);

  // A withdrawn notice: title, dates and reason, never the body.
  await visitor.page.goto(`${BASE}${boardPath}`);
  const withdrawn = visitor.page.locator('#withdrawn-notices a');
  assert.ok(await withdrawn.count() > 0, 'the demo has a withdrawn notice on the board');
  await go(visitor.page, () => withdrawn.first().click());
  await check(visitor.page, 'a withdrawn notice');
  assert.equal(await visitor.page.textContent('#notice-status'), '已撤回');
  assert.ok(await visitor.page.isVisible('#withdraw-reason'), 'the reason is shown');
  assert.equal(await visitor.page.locator('#notice-body').count(), 0, 'the body is not');
  assert.match(await visitor.page.textContent('#notice-log'), /撤回/);
  await visitor.page.screenshot({ path: `${SHOTS}/notices-withdrawn.png`, fullPage: true });

  // The staff withdraw their own notice; the visitor then sees it withdrawn.
  await staff.page.click('#withdraw summary');
  await staff.page.fill('input[name=reason]', '补贴标准调整，另行公示');
  await go(staff.page, () => staff.page.click('#withdraw button[type=submit]'));
  assert.match(await staff.page.textContent('#notice-done'), /公示已撤回/);
  await visitor.page.goto(`${BASE}${publicPath}`);
  await check(visitor.page, 'the notice once withdrawn');
  assert.equal(await visitor.page.textContent('#notice-status'), '已撤回');
  assert.equal(await visitor.page.locator('#notice-body').count(), 0);
  assert.equal(await visitor.page.locator('#notice-attachments').count(), 0, 'nor its files');
  assert.match(await visitor.page.textContent('#withdraw-reason'), /补贴标准调整/);
  await staff.context.close();
  await visitor.context.close();
});

test('the department sees its overdue co-build commitments at home, on the co-build pages and its scorecard', async () => {
  const { context, page } = await phone();
  await login(page, 'department');
  await check(page, 'the department home');
  const tile = page.locator('#work-cobuild_overdue');
  assert.equal(await tile.count(), 1, 'an overdue tile');
  assert.ok(Number(await tile.locator('.n').textContent()) > 0, 'the demo department has overdue commitments');
  await go(page, () => tile.click());
  await check(page, 'the overdue commitments');
  assert.ok(await page.locator('#commitment-list tbody tr').count() > 0);
  await go(page, () => page.locator('#commitment-list a').first().click());
  await check(page, 'a contract');
  await page.screenshot({ path: `${SHOTS}/cobuild-contract.png`, fullPage: true });
  await page.goto(`${BASE}/scorecards?by=department`);
  assert.match(await page.textContent('main'), /契约化共建：各部门/);
  await context.close();

  // The community's side sees the same commitment overdue on its home page.
  const c = await phone();
  await login(c.page, 'community');
  assert.ok(Number(await c.page.locator('#work-cobuild_overdue .n').textContent()) > 0);
  await c.page.goto(`${BASE}/cobuild`);
  await check(c.page, 'the community co-build page');
  await c.context.close();
});
