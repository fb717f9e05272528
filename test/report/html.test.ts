import { existsSync, mkdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TCG_LABEL } from '../../src/report/common.js';
import { renderHtml } from '../../src/report/html.js';
import { DEFAULT_FORMATS, renderReports } from '../../src/report/render.js';
import { ROOT, checkXml, loadFixture, tmp } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'test-results');

describe('report.html', () => {
  it('is self-contained: inline CSS and SVG, no scripts, no external resources', async () => {
    const html = await renderHtml(await loadFixture('three-targets-tcg'));
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/xmlns(:xlink)?=/); // inline SVG needs no namespace URLs
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    for (const s of svgs) expect(checkXml(s).root).toBe('svg');
    // Each chart's ids are prefixed, so clip paths cannot collide between charts.
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(html).toContain('<details id="raw-samples">');
    expect(html).toContain(`KVM + Docker: ${TCG_LABEL}`);
    expect(html).toContain('Scenario as run');
    expect(html).toContain('fingerprint.kernelRelease');
  });

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

  it('is part of the default report set with every other file', async () => {
    const r = await loadFixture('two-targets');
    const out = tmp('default');
    const files = (await renderReports(r, { outDir: out })).map((f) => path.relative(out, f)).sort();
    const expected = [
      'table.md',
      'table.csv',
      'summary.json',
      'github-action-benchmark-bigger.json',
      'github-action-benchmark-smaller.json',
      'bencher.json',
      'report.html',
      ...['dd-write-mbps', 'ab-requests-per-sec', 'overhead'].flatMap((n) => [
        `charts/${n}.svg`,
        `charts/${n}.vl.json`,
        ...(DEFAULT_FORMATS.includes('png') ? [`charts/${n}.png`] : []),
      ]),
    ].sort();
    expect(files).toEqual(expected);
    for (const f of files) expect((await stat(path.join(out, f))).size).toBeGreaterThan(100);
    const md = await readFile(path.join(out, 'table.md'), 'utf8');
    expect(md).toContain('| Metric');
  });
});
