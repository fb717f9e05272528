import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1280, height: 1000 } });
await p.goto('file:///tmp/scratch-out/three-targets-tcg/report.html');
console.log(await p.evaluate(() => document.documentElement.scrollWidth), await p.evaluate(() => document.documentElement.scrollHeight));
const ys = [0, 1000, 2000, 3000, 4000, 5000, 6000];
for (const [i, y] of ys.entries()) { await p.evaluate((y) => window.scrollTo(0, y), y); await p.screenshot({ path: `/tmp/shot-${i}.png` }); }
await b.close();
