import { chromium } from 'playwright-core';
import { login, codeNamesOn, axeViolations } from '/work/main/tests/browser/walk.mjs';
const [,, user, ...paths] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await browser.newContext({ viewport: { width: 375, height: 812 }, bypassCSP: true });
const page = await ctx.newPage();
await login(page, user);
const labels = await (await fetch(`${process.env.GONGZHI_URL}/api/v1/labels`)).json();
const codes = Object.values(labels).flatMap((g) => Object.keys(g));
for (const p of paths) {
  const r = await page.goto(`${process.env.GONGZHI_URL}${p}`);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  const name = p.replace(/[^a-z0-9]+/gi, '_');
  await page.screenshot({ path: `/tmp/shot${name}.png`, fullPage: false });
  console.log(p, r.status(), 'width', w, 'codes', await codeNamesOn(page, codes), 'axe', await axeViolations(page));
}
await browser.close();
