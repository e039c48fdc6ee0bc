// The party organisation on a 375 px phone: the party account opens the tree, sees each
// organisation's level by name and the rules' warnings in words, opens one organisation and
// finds its members; 双找 lists registrations and residents to find.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { login, launch, axeViolations, BASE } from './walk.mjs';

let browser;
before(async () => { browser = await launch(chromium); });
after(async () => { await browser?.close(); });

test('the party tree reads on a phone, with warnings in words, and an organisation opens', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'party');
  await page.goto(`${BASE}/party`);
  const items = page.locator('ul.orgtree > li');
  assert.ok(await items.count() > 5, 'the tree lists the organisations');
  assert.ok(await page.locator('ul.orgtree li.root').count() >= 1, 'communities start the tree');
  const warning = await page.locator('ul.orgtree .warn').first().textContent();
  assert.match(warning, /党员|正式党员/, `a warning in words: ${warning}`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'fits the phone');
  assert.deepEqual(await axeViolations(page), []);
  // A grid branch: its page names its level and lists its members.
  const branch = page.locator('ul.orgtree li.d1 a', { hasText: '网格党支部' }).first();
  const name = (await branch.textContent()).trim();
  await Promise.all([page.waitForURL(/\/party\/orgs\/\d+$/), branch.click()]);
  assert.equal((await page.locator('h1').textContent()).trim(), name);
  assert.ok(await page.getByText('党支部', { exact: true }).count() >= 1, 'the level by name');
  assert.ok(await page.locator('table.data tbody tr').count() >= 1, 'its members');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375);
  await page.goto(`${BASE}/party/find`);
  assert.ok(await page.getByText('找组织：待确认的登记').count() === 1);
  assert.ok(await page.locator('table.data tbody tr').count() >= 1, '找党员 lists residents');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375);
  await context.close();
});

// 三会一课 and the five steps on a phone: the party account records a meeting owed by an
// organisation the reminders name (attendance by name), then records a compound's activity;
// each form comes back with a success message and the record in the list.
test('a meeting and a compound activity are recorded on a phone', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
  const page = await context.newPage();
  await login(page, 'party');
  await page.goto(`${BASE}/party/meetings`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'fits the phone');
  assert.deepEqual(await axeViolations(page), []);
  const reminder = page.locator('table.data a[href*="/party/meetings?org="]').first();
  assert.ok(await reminder.count() === 1, 'the reminders name organisations behind on meetings');
  await Promise.all([page.waitForURL(/org=\d+/), reminder.click()]);
  const form = page.locator('form#record');
  const kinds = await form.locator('select[name=kind] option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
  await form.locator('select[name=kind]').selectOption(kinds[0]);
  await form.locator('input[name=topic]').fill('学习贯彻全会精神');
  const present = form.locator('input[name=attendee]');
  for (let i = 0; i < Math.min(2, await present.count()); i++) await present.nth(i).check();
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
  assert.equal((await page.locator('.flash.ok').textContent()).trim(), '会议已记录');
  assert.ok(await page.getByText('学习贯彻全会精神').count() >= 1, 'the meeting is listed');

  await page.goto(`${BASE}/five-steps`);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'the board fits the phone');
  assert.deepEqual(await axeViolations(page), []);
  await Promise.all([page.waitForURL(/\/five-steps\/\d+$/), page.locator('table.steps-board a[href^="/five-steps/"]').first().click()]);
  assert.equal(await page.locator('ol.five-steps li').count(), 5, 'five steps, each with its status');
  const activity = page.locator('form[action$="/activity"]');
  await activity.locator('select[name=kind]').selectOption('service');
  await activity.locator('input[name=title]').fill('上门为独居老人理发');
  await activity.locator('input[name=participants]').fill('12');
  await Promise.all([page.waitForNavigation(), activity.locator('button[type=submit]').click()]);
  assert.equal((await page.locator('.flash.ok').textContent()).trim(), '活动已记录');
  assert.ok(await page.getByText('上门为独居老人理发').count() >= 1, 'the activity is listed');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375);
  await context.close();
});
