/**
 * report.html's content, read as text (no browser): self-contained, well-formed inline SVG, and part of the default
 * report set. How it renders in headless Chromium is test/report/html.test.ts.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TCG_LABEL } from '../../src/report/common.js';
import { renderHtml } from '../../src/report/html.js';
import { DEFAULT_FORMATS, renderReports } from '../../src/report/render.js';
import { checkXml, loadFixture, tmp } from './helpers.js';

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
