// 阳光示权 on a 375 px phone, without an account: the public power list, a search for an item,
// the item's page with its flowchart drawn as SVG (every step's text in it), its risk level
// explained; no horizontal scroll, names not codes (the owner's Chinese name, the types' and
// levels' labels), no serious or critical axe-core violation. Then the print page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { login, launch, codeNamesOn, axeViolations, BASE } from './walk.mjs';

const SHOTS = process.env.SHOT_DIR ?? 'screenshots';
mkdirSync(SHOTS, { recursive: true });

// The power list's own codes (types, levels, states, departments) must never be shown.
const POWER_CODES = ['licensing', 'non_licensing_approval', 'penalty', 'enforcement', 'levy',
  'inspection', 'confirmation', 'adjudication', 'published', 'retired', 'CG', 'SJ', 'ZJ', 'MZ'];

let browser;
let codes;
before(async () => {
  browser = await launch(chromium);
  const labels = await (await fetch(`${BASE}/api/v1/labels`)).json();
  codes = [...Object.values(labels).flatMap((group) => Object.keys(group)), ...POWER_CODES];
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

test('a visitor searches the power lists on a phone and reads an item with its flowchart', async () => {
  const { context, page } = await phone();
  // The public pages are linked from the login page.
  await page.goto(`${BASE}/login`);
  await Promise.all([page.waitForNavigation(), page.click('#public-power')]);
  assert.equal(new URL(page.url()).pathname, '/power');
  await check(page, 'the public power list');
  const all = await page.locator('#power-list li.notice-item').count();
  assert.ok(all >= 5, `${all} published items`);
  // No drafts in public: the demo street's draft is not listed.
  assert.doesNotMatch(await page.textContent('#power-list'), /门前三包/);

  await page.fill('#power-search', '占道经营');
  await Promise.all([page.waitForNavigation(), page.press('#power-search', 'Enter')]);
  await check(page, 'the search result');
  const found = page.locator('#power-list li.notice-item');
  assert.equal(await found.count(), 1, 'one item found');
  const listed = await found.first().textContent();
  assert.match(listed, /城市管理局/, 'the owner by its Chinese name');
  assert.match(listed, /行政处罚/);
  await page.screenshot({ path: `${SHOTS}/power-search.png`, fullPage: true });

  await Promise.all([page.waitForNavigation(), found.first().locator('a').click()]);
  assert.match(new URL(page.url()).pathname, /^\/power\/items\/\d+$/);
  assert.match(await page.textContent('#power-name'), /占道经营/);
  assert.match(await page.textContent('#power-risk'), /风险等级：[高中低]/);
  assert.match(await page.textContent('#risk-explained'), /加权几何平均/);
  const svg = page.locator('#flowchart svg');
  await svg.waitFor();
  const box = await svg.boundingBox();
  assert.ok(box.width > 200 && box.width <= 375 && box.height > 200, `the flowchart is drawn: ${JSON.stringify(box)}`);
  const drawn = await svg.evaluate((el) => el.textContent);
  const steps = await page.locator('#flow-steps .step-text').allTextContents();
  assert.ok(steps.length >= 5, `steps: ${steps}`);
  for (const s of steps) assert.ok(drawn.includes(s), `the drawing has the step ${s}`);
  for (const b of ['当场改正', '拒不改正']) assert.ok(drawn.includes(b), `the drawing has the branch ${b}`);
  await check(page, 'the power item');
  await page.screenshot({ path: `${SHOTS}/power-item.png`, fullPage: true });

  await Promise.all([page.waitForNavigation(), page.click('#print-link')]);
  assert.match(new URL(page.url()).pathname, /^\/power\/items\/\d+\/print$/);
  await page.locator('#flowchart svg').waitFor();
  await check(page, 'the print page');
  await context.close();
});

test('the department keeps its list: the staff list, an item with its history, the risk settings', async () => {
  const { context, page } = await phone();
  // 城管's own account: the demo's `department` is whichever department's cases are liveliest
  // at seeding time, which need not be the one whose items the demo seeds.
  await login(page, 'dept-cg');
  await page.goto(`${BASE}/power/manage`);
  await check(page, 'the staff power list');
  assert.match(await page.textContent('#power-items'), /户外广告设施设置审批/);
  await Promise.all([page.waitForNavigation(), page.click('#power-items a:has-text("户外广告设施设置审批")')]);
  // The demo's changed item keeps both versions.
  assert.equal(await page.locator('#power-versions > li').count(), 2, 'two versions');
  await page.locator('#flowchart svg').waitFor();
  await check(page, 'a staff power item');
  await page.screenshot({ path: `${SHOTS}/power-staff-item.png`, fullPage: true });
  await page.goto(`${BASE}/power/settings`);
  await check(page, 'the risk settings (read only)');
  await context.close();
});
