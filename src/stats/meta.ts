/**
 * Random-effects meta-analysis (DerSimonian–Laird), used to pool per-host log ratios into one fleet-wide
 * overhead whose interval reflects the variation between hosts, not only within them.
 *
 *   w_i = 1/v_i, ȳ_FE = Σw y / Σw, Q = Σ w (y − ȳ_FE)², C = Σw − Σw²/Σw,
 *   τ² = max(0, (Q − (k−1)) / C), I² = max(0, (Q − (k−1)) / Q),
 *   w*_i = 1/(v_i + τ²), μ = Σw* y / Σw*, SE(μ) = 1/√Σw*, CI μ ± z·SE.
 *
 * Hartung–Knapp(–Sidik–Jonkman) adjustment: q* = Σ w*(y − μ)² / (k−1), SE_HK² = q* / Σw*, CI μ ± t_{k−1}·SE_HK,
 * which keeps its coverage with few hosts, where the normal interval is too narrow. With the usual ad-hoc
 * correction q* is taken as at least 1 (Knapp & Hartung 2003; Röver et al. 2015), so hosts that happen to agree
 * closely never give an interval narrower than the DerSimonian–Laird one (or of zero width).
 */
import { normalQuantile } from './special.js';
import { studentTQuantile } from './student-t.js';

export interface MetaStudy {
  /** Effect, e.g. a log ratio. */
  y: number;
  /** Its within-study variance (squared standard error), > 0. */
  v: number;
}

export interface MetaResult {
  k: number;
  /** Pooled random-effects estimate. */
  estimate: number;
  se: number;
  ci: { low: number; high: number };
  /** Between-study variance and its square root. */
  tau2: number;
  tau: number;
  /** Cochran's Q and its degrees of freedom. */
  q: number;
  df: number;
  /** Share of the total variation due to heterogeneity, 0..1 (0 when Q <= df). */
  i2: number;
  /** Fixed-effect (inverse-variance) estimate, for reference. */
  fixedEstimate: number;
  method: 'DL' | 'DL+HK';
  /** Random-effects weight of each study, summing to 1. */
  weights: number[];
}

export interface MetaOptions {
  confidence?: number;
  /** Hartung–Knapp adjustment of the interval (needs k >= 2). */
  hartungKnapp?: boolean;
}

/** DerSimonian–Laird random-effects pooling. Throws when there is no study or a variance is not > 0. */
export function randomEffectsMeta(studies: readonly MetaStudy[], opts: MetaOptions = {}): MetaResult {
  const k = studies.length;
  if (k === 0) throw new Error('meta-analysis needs at least one study');
  for (const s of studies) {
    if (!Number.isFinite(s.y)) throw new Error(`meta-analysis: effect ${s.y} is not finite`);
    if (!(s.v > 0) || !Number.isFinite(s.v)) throw new Error(`meta-analysis: variance ${s.v} is not > 0`);
  }
  const confidence = opts.confidence ?? 0.95;
  const w = studies.map((s) => 1 / s.v);
  const sw = sum(w);
  const fixed = sum(studies.map((s, i) => (w[i] as number) * s.y)) / sw;
  const q = sum(studies.map((s, i) => (w[i] as number) * (s.y - fixed) ** 2));
  const df = k - 1;
  const c = sw - sum(w.map((x) => x * x)) / sw;
  const tau2 = df > 0 && c > 0 ? Math.max(0, (q - df) / c) : 0;
  const i2 = q > 0 && df > 0 ? Math.max(0, (q - df) / q) : 0;
  const ws = studies.map((s) => 1 / (s.v + tau2));
  const sws = sum(ws);
  const estimate = sum(studies.map((s, i) => (ws[i] as number) * s.y)) / sws;
  let se = Math.sqrt(1 / sws);
  let crit = normalQuantile(1 - (1 - confidence) / 2);
  const hk = Boolean(opts.hartungKnapp) && k >= 2;
  if (hk) {
    const qStar = sum(studies.map((s, i) => (ws[i] as number) * (s.y - estimate) ** 2)) / df;
    se = Math.sqrt(Math.max(1, qStar) / sws);
    crit = studentTQuantile(1 - (1 - confidence) / 2, df);
  }
  return {
    k,
    estimate,
    se,
    ci: { low: estimate - crit * se, high: estimate + crit * se },
    tau2,
    tau: Math.sqrt(tau2),
    q,
    df,
    i2,
    fixedEstimate: fixed,
    method: hk ? 'DL+HK' : 'DL',
    weights: ws.map((x) => x / sws),
  };
}

/**
 * A ratio of two means as a log ratio with its delta-method variance:
 * y = ln(m_c / m_b), v = s_c² / (n_c m_c²) + s_b² / (n_b m_b²).
 * Returns null when a side has n < 2 or a mean <= 0 (no log ratio exists).
 */
export function logRatioStudy(
  candidate: { mean: number; sd: number; n: number },
  baseline: { mean: number; sd: number; n: number },
): MetaStudy | null {
  if (candidate.n < 2 || baseline.n < 2 || !(candidate.mean > 0) || !(baseline.mean > 0)) return null;
  const v = candidate.sd ** 2 / (candidate.n * candidate.mean ** 2) + baseline.sd ** 2 / (baseline.n * baseline.mean ** 2);
  return { y: Math.log(candidate.mean / baseline.mean), v };
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
