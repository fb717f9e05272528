import { existsSync, mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReports } from '../../src/report/render.js';
import { ROOT, loadFixture, tmp } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'test-results');

describe('report.html', () => {
  describe('in headless Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it.each(['three-targets-tcg', 'failed-outliers'])('%s: table and charts are visible, no console errors, no requests', async (name) => {
      const out = tmp(`html-${name}`);
      const files = await renderReports(await loadFixture(name), { outDir: out, formats: ['html'] });
      const file = files.find((f) => f.endsWith('report.html'))!;
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      const table = page.locator('table.results').first();
      expect(await table.isVisible()).toBe(true);
      const headers = await table.locator('thead th').allInnerTexts();
      expect(headers[0]).toBe('Metric');
      expect(headers[1]).toBe('Bare Metal');
      const firstRow = (await table.locator('tbody tr').first().locator('td').allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' '));
      expect(firstRow[0]).toMatch(/^\d+(\.\d+)? ± \d+(\.\d+)? MB\/s\s+\(n=\d+\)/);

      const figures = page.locator('figure.chart svg');
      const count = await figures.count();
      expect(count).toBeGreaterThanOrEqual(2);
      for (let i = 0; i < count; i++) {
        const f = figures.nth(i);
        await f.scrollIntoViewIfNeeded();
        expect(await f.isVisible()).toBe(true);
        const box = (await f.boundingBox())!;
        expect(box.width).toBeGreaterThan(300);
        expect(box.height).toBeGreaterThan(150);
        // Marks are drawn: at least one symbol path with a non-empty bounding box.
        const marks = await f.locator('.mark-symbol path').count();
        expect(marks).toBeGreaterThan(0);
      }
      // The raw samples are there, collapsed.
      expect(await page.locator('#raw-samples').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
      expect(await page.locator('#raw-samples tbody tr').count()).toBeGreaterThan(20);

      mkdirSync(SHOTS, { recursive: true });
      const shot = path.join(SHOTS, `report-${name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      expect((await stat(shot)).size).toBeGreaterThan(50_000);
      await page.close();
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
    });
  });

});
