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
