/**
 * report.html: one self-contained file (inline CSS and SVG, no scripts, no external URLs) with the table,
 * the charts, each target's environment fingerprint, the security posture, the scenario as run and the
 * raw samples.
 */
import { stringify as toYaml } from 'yaml';
import { isUnknown, type RunResults } from '../results/model.js';
import { TCG_LABEL, confidencePct, escapeHtml as esc, orderedTargets } from './common.js';
import { inlineSvg, renderCharts, reportCharts, type RenderedChart } from './charts.js';
import { postureReport } from './posture-bridge.js';
import { buildTableModel, type TableModel } from './table-model.js';
import { samplingText } from './text.js';

export const HTML_CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 1.5rem; color: #1a1a1a; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0; }
.meta dt { font-weight: bold; color: #444; }
.meta dd { margin: 0; }
code, pre { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: .88rem; }
pre { background: #f6f6f6; padding: .8rem; overflow-x: auto; border: 1px solid #e4e4e4; }
.warning { border: 2px solid #c77700; background: #fff4e0; padding: .6rem .9rem; margin: 1rem 0; font-weight: bold; }
table { border-collapse: collapse; margin: .4rem 0; }
th, td { border: 1px solid #d0d0d0; padding: .3rem .55rem; vertical-align: top; }
th { background: #f2f2f2; text-align: left; }
div.scroll { overflow-x: auto; max-width: 100%; }
table.results { font-size: .92rem; }
table.results td.num, table.results th.num { text-align: right; }
table.results thead th { max-width: 12rem; vertical-align: bottom; }
table.results th[scope=row] { white-space: nowrap; }
table.posture-table th { white-space: nowrap; }
.lint-warn strong { color: #a00; }
table.results td.incomplete { color: #a00; font-style: italic; }
table.results td.worse { background: #fde8e8; }
table.results td.better { background: #e6f4e6; }
table.results tr.security td { background: #f8f8ff; }
sup { font-size: .72em; color: #555; }
ol.footnotes { font-size: .9rem; color: #333; padding-left: 1.6rem; }
p.legend { font-size: .88rem; color: #444; margin: .2rem 0; }
.muted { color: #666; }
figure.chart { margin: 1rem 0 1.6rem; }
figure.chart svg { max-width: 100%; height: auto; }
figure.chart figcaption { font-size: .85rem; color: #555; }
table.kv td:first-child { font-family: "DejaVu Sans Mono", monospace; font-size: .82rem; color: #333; white-space: nowrap; }
table.kv td { font-size: .85rem; word-break: break-word; }
table.samples td, table.samples th { font-size: .8rem; padding: .15rem .4rem; }
tr.failed td { background: #fde8e8; }
table.kv tr.differs td { background: #fff6d6; }
.tcg { color: #a35a00; font-size: .8rem; }
details > summary { cursor: pointer; font-weight: bold; margin: .4rem 0; }
`;

function tableHtml(model: TableModel, caption: string): string {
  const sup = (notes: number[]) => (notes.length ? `<sup>[${notes.join(',')}]</sup>` : '');
  // Keep numbers and units together; let a cell break only before "(n=…)" or the "[low, high]" interval.
  const cellText = (text: string) =>
    esc(text)
      .replace(/ /g, '&nbsp;')
      .replace(/&nbsp;(\(n=|\[)/g, ' $1');
  const head = model.columns
    .map((c, i) => `<th scope="col"${i > 0 ? ' class="num"' : ''}>${esc(c.header)}${sup(c.notes)}</th>`)
    .join('');
  const body = model.rows
    .map((r) => {
      if (r.kind === 'metric') {
        const cells = r.cells
          .map((c) => `<td class="num${c.incomplete ? ' incomplete' : ''}">${cellText(c.text)}${sup(c.notes)}</td>`)
          .join('');
        const diffs = r.differences
          .map((d) => {
            const cls = d.available && d.significant ? (d.worse ? ' worse' : ' better') : '';
            return `<td class="num${cls}">${cellText(d.text)}${sup(d.notes)}</td>`;
          })
          .join('');
        return `<tr><th scope="row">${esc(r.label)}</th>${cells}${diffs}</tr>`;
      }
      const cells = r.cells.map((c) => `<td class="num">${esc(c.text)}${sup(c.notes)}</td>`).join('');
      return `<tr class="security"><th scope="row">${esc(r.label)}</th>${cells}${'<td></td>'.repeat(model.candidates.length)}</tr>`;
    })
    .join('\n');
  const notes = model.footnotes.length
    ? `<ol class="footnotes">${model.footnotes.map((f) => `<li value="${f.id}">${esc(f.text)}</li>`).join('')}</ol>`
    : '';
  const legend = model.legend.map((l) => `<p class="legend">${esc(l)}</p>`).join('');
  return `<div class="scroll"><table class="results"><caption class="muted">${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>${notes}${legend}`;
}

/** Flatten a fingerprint to dotted key paths; Unknown values show their reason. */
export function flattenFacts(value: unknown, prefix = '', out: [string, string][] = [], depth = 0): [string, string][] {
  if (isUnknown(value)) {
    out.push([prefix, `unknown (${value.reason})`]);
  } else if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) out.push([prefix, value.map(String).join(', ') || '(none)']);
    else value.forEach((v, i) => flattenFacts(v, `${prefix}[${i}]`, out, depth + 1));
  } else if (typeof value === 'object' && value !== null) {
    if (depth > 6) {
      out.push([prefix, JSON.stringify(value)]);
    } else {
      for (const [k, v] of Object.entries(value)) flattenFacts(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
    }
  } else {
    out.push([prefix, value === undefined ? '' : String(value)]);
  }
  return out;
}

function environmentHtml(results: RunResults, model: TableModel): string {
  const parts: string[] = [];
  parts.push('<h3>Differences between the baseline and the candidates</h3>');
  parts.push(
    model.environmentDifferences.length
      ? `<ul>${model.environmentDifferences.map((d) => `<li>${esc(d)}</li>`).join('')}</ul>`
      : '<p class="muted">None found.</p>',
  );
  // One table, a column per target, so differing facts stand next to each other (and are highlighted).
  const targets = orderedTargets(results);
  const perTarget = targets.map((t) => {
    const rec = t.record;
    const facts: [string, string][] = [
      ['host', rec?.host ?? 'unknown'],
      ['kind', rec?.kind ?? 'unknown'],
    ];
    if (rec?.container) flattenFacts(rec.container, 'container', facts);
    if (rec?.fingerprint) flattenFacts(rec.fingerprint, 'fingerprint', facts);
    return new Map(facts);
  });
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const m of perTarget) for (const k of m.keys()) if (!seen.has(k)) (seen.add(k), keys.push(k));
  const head = targets
    .map((t) => `<th scope="col">${esc(t.label)}${t.role === 'baseline' ? ' <span class="muted">(baseline)</span>' : ''}${t.tcg ? `<br><span class="tcg">${esc(TCG_LABEL)}</span>` : ''}</th>`)
    .join('');
  const rows = keys
    .map((k) => {
      const values = perTarget.map((m) => m.get(k));
      const present = values.filter((v): v is string => v !== undefined);
      const differs = new Set(present).size > 1 && !/bootId|hostname|collectedAt|collectMs|\.id$/.test(k);
      return `<tr${differs ? ' class="differs"' : ''}><td>${esc(k)}</td>${values.map((v) => `<td>${v === undefined ? '<span class="muted">—</span>' : esc(v)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  parts.push('<h3>Fingerprint per target</h3><p class="muted">Highlighted rows differ between targets.</p>');
  parts.push(`<div class="scroll"><table class="kv"><thead><tr><th scope="col">fact</th>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`);
  return parts.join('\n');
}

function samplesHtml(results: RunResults): string {
  const labels = new Map(orderedTargets(results).map((t) => [t.id, t.label]));
  const rows = results.samples
    .map((s) => {
      const values = Object.entries(s.values ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(', ');
      return `<tr${s.ok ? '' : ' class="failed"'}><td>${esc(s.seq)}</td><td>${esc(labels.get(s.target) ?? s.target)}</td><td>${esc(s.workload)}</td><td>${esc(s.round)}</td><td>${s.warmup ? 'yes' : ''}</td><td>${s.ok ? 'ok' : 'failed'}</td><td>${esc(s.startedAt)}</td><td>${typeof s.durationMs === 'number' && Number.isFinite(s.durationMs) ? Math.round(s.durationMs) : ''}</td><td>${esc(values)}</td><td>${esc(s.error ?? '')}</td></tr>`;
    })
    .join('\n');
  return `<details id="raw-samples"><summary>${results.samples.length} samples (warmups included, marked)</summary><div class="scroll"><table class="samples"><thead><tr><th>seq</th><th>target</th><th>workload</th><th>round</th><th>warmup</th><th>status</th><th>started</th><th>ms</th><th>values</th><th>error</th></tr></thead><tbody>\n${rows}\n</tbody></table></div></details>`;
}

export interface HtmlOptions {
  /** Already rendered charts (renderReports passes them so they are rendered once). */
  charts?: RenderedChart[];
}

export async function renderHtml(results: RunResults, options: HtmlOptions = {}): Promise<string> {
  const model = buildTableModel(results, { metrics: 'primary' });
  const hasSecondary = results.metrics.some((m) => !m.primary);
  const charts = options.charts ?? (await renderCharts(reportCharts(results)));
  const posture = postureReport(results);
  const sc = results.scenario;
  const title = `${sc?.name ?? 'benchsuite'}: benchmark report`;

  const meta: [string, string][] = [
    ['Run', `${results.runId} (${results.status}${results.quick ? ', quick' : ''})`],
    ['Started', results.startedAt],
    ...(results.finishedAt ? ([['Finished', results.finishedAt]] as [string, string][]) : []),
    ...(results.git?.commit || results.git?.branch
      ? ([['Git', [results.git.commit, results.git.branch ? `(${results.git.branch})` : ''].filter(Boolean).join(' ')]] as [string, string][])
      : []),
    ...(results.command?.length ? ([['Command', results.command.join(' ')]] as [string, string][]) : []),
    ['Confidence', confidencePct(results)],
    ['Sampling', `${samplingText(results)}; order ${sc?.order ?? 'unknown'}; warmup ${sc?.warmup ?? 'unknown'}`],
    ['Baseline', model.baseline.label],
    ...(typeof sc?.tolerancePct === 'number' ? ([['Tolerance', `${sc.tolerancePct} %`]] as [string, string][]) : []),
    ['Tool', `${results.tool?.name ?? 'benchsuite'} ${results.tool?.version ?? ''}`],
  ];

  const figures = charts
    .map(
      (c) =>
        `<figure class="chart" id="chart-${esc(c.name)}">${inlineSvg(c.svg, `c-${c.name}`)}<figcaption>${esc(c.title)} — charts/${esc(c.name)}.svg</figcaption></figure>`,
    )
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${HTML_CSS}</style>
</head>
<body>
<header>
<h1>${esc(title)}</h1>
${sc?.description ? `<p>${esc(sc.description)}</p>` : ''}
<dl class="meta">${meta.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
${model.tcgNotes.map((n) => `<div class="warning" role="note">⚠ ${esc(n)}</div>`).join('\n')}
</header>
<main>
<section id="results">
<h2>Results</h2>
${tableHtml(model, `Primary metrics, ${model.confidenceText} confidence`)}
</section>
${hasSecondary ? `<section id="secondary"><h2>Secondary metrics</h2>${tableHtml(buildTableModel(results, { metrics: 'secondary', security: false, environmentDifferences: [] }), 'Secondary metrics')}</section>` : ''}
<section id="charts">
<h2>Charts</h2>
${figures || '<p class="muted">No charts.</p>'}
</section>
<section id="environment">
<h2>Environment</h2>
${environmentHtml(results, model)}
</section>
<div id="posture">
${posture.html}
</div>
${results.notes?.length ? `<section id="notes"><h2>Notes</h2><ul>${results.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>` : ''}
<section id="scenario">
<h2>Scenario as run</h2>
${results.scenarioFile ? `<p class="muted">From ${esc(results.scenarioFile)}</p>` : ''}
<pre>${esc(toYaml(sc ?? {}))}</pre>
</section>
<section id="samples">
<h2>Raw samples</h2>
${samplesHtml(results)}
</section>
</main>
</body>
</html>
`;
}
