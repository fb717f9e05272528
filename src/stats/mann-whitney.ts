/**
 * Mann–Whitney U test (two-sided), as a distribution-free companion to Welch's t-test.
 *
 * - U is reported for the candidate: the number of (baseline, candidate) pairs where the candidate value is
 *   larger, ties counting ½ (equivalently R_c − n_c(n_c + 1)/2 with mid-ranks).
 * - Exact method (default when n_b + n_c ≤ MWU_EXACT_MAX_TOTAL):
 *   - without ties, the null distribution of U is enumerated with the recursion
 *       P_{m,n}(U = k) = m/(m+n)·P_{m−1,n}(U = k − n) + n/(m+n)·P_{m,n−1}(U = k)
 *     (condition on which sample holds the largest value), and p = min(1, 2·P(U ≥ max(U_b, U_c)));
 *   - with ties, the permutation distribution of U given the observed tie groups (mid-ranks): every one of
 *     the C(N, n_c) ways to label n_c of the pooled values "candidate" is equally likely under H0. A dynamic
 *     programme over the tie groups counts, for each doubled rank sum, the labelings that produce it, and
 *     p = P(|U − n_b n_c/2| ≥ |u − n_b n_c/2|) (two-sided; equal to the untied formula without ties).
 * - Normal method otherwise: z = (max(U_b, U_c) − n_b n_c/2 − ½) / σ with the tie-corrected
 *   σ² = n_b n_c/12 · [(N + 1) − Σ(t³ − t)/(N(N − 1))], p = min(1, 2·Q(z)); p = 1 when σ = 0.
 * Both match scipy.stats.mannwhitneyu(method='exact' / 'asymptotic', use_continuity=True).
 */

import { normalSf } from './special.js';

export const MWU_EXACT_MAX_TOTAL = 40;

export type MannWhitneyMethod = 'exact' | 'normal';

export interface MannWhitneyOptions {
  /** 'auto' (default) picks exact for tie-free samples with n_b + n_c ≤ MWU_EXACT_MAX_TOTAL. */
  method?: 'auto' | MannWhitneyMethod;
}

export interface MannWhitneyResult {
  /** U statistic of the candidate sample. */
  u: number;
  pValue: number;
  method: MannWhitneyMethod;
  hasTies: boolean;
}

/** Mid-ranks of the pooled sample; returns the candidate rank sum and the tie term Σ(t³ − t). */
function rankCandidate(baseline: readonly number[], candidate: readonly number[]): { rankSum: number; tieTerm: number } {
  const pooled: Array<{ v: number; c: boolean }> = [];
  for (const v of baseline) pooled.push({ v, c: false });
  for (const v of candidate) pooled.push({ v, c: true });
  pooled.sort((a, b) => a.v - b.v);
  let rankSum = 0;
  let tieTerm = 0;
  let i = 0;
  while (i < pooled.length) {
    let j = i;
    while (j + 1 < pooled.length && pooled[j + 1]!.v === pooled[i]!.v) j++;
    const midRank = (i + j) / 2 + 1; // ranks are 1-based
    const t = j - i + 1;
    if (t > 1) tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (pooled[k]!.c) rankSum += midRank;
    i = j + 1;
  }
  return { rankSum, tieTerm };
}

const exactCache = new Map<string, Float64Array>();
const EXACT_CACHE_LIMIT = 256;

/**
 * Upper tail P(U ≥ k), k = 0 … m·n, of the null distribution of U for sample sizes m and n (no ties).
 * The distribution is the same with m and n swapped, so the cache key uses the sorted pair.
 */
export function mannWhitneyExactSf(m: number, n: number): Float64Array {
  const a = Math.min(m, n);
  const b = Math.max(m, n);
  const key = `${a},${b}`;
  const cached = exactCache.get(key);
  if (cached) return cached;

  // prev[i] = distribution of U for sizes (i, j − 1); cur[i] for (i, j). U counts pairs where the
  // first-sample element (size i) exceeds the second-sample element (size j).
  let prev: Float64Array[] = [];
  for (let i = 0; i <= a; i++) prev.push(Float64Array.of(1)); // j = 0: U ≡ 0
  for (let j = 1; j <= b; j++) {
    const cur: Float64Array[] = [Float64Array.of(1)]; // i = 0
    for (let i = 1; i <= a; i++) {
      const dist = new Float64Array(i * j + 1);
      const wTop = i / (i + j); // largest value belongs to the first sample: adds j to U
      const wOther = j / (i + j);
      const fromTop = cur[i - 1]!; // sizes (i − 1, j)
      const fromOther = prev[i]!; // sizes (i, j − 1)
      for (let k = 0; k < fromOther.length; k++) dist[k] = wOther * fromOther[k]!;
      for (let k = 0; k < fromTop.length; k++) dist[k + j] += wTop * fromTop[k]!;
      cur.push(dist);
    }
    prev = cur;
  }
  const pmf = prev[a]!;
  const sf = new Float64Array(pmf.length);
  let acc = 0;
  for (let k = pmf.length - 1; k >= 0; k--) {
    acc += pmf[k]!;
    sf[k] = acc;
  }
  if (exactCache.size >= EXACT_CACHE_LIMIT) exactCache.clear();
  exactCache.set(key, sf);
  return sf;
}

export function mannWhitney(
  baseline: readonly number[],
  candidate: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  const nb = baseline.length;
  const nc = candidate.length;
  if (nb === 0 || nc === 0) throw new RangeError('mannWhitney: both samples need at least one value');
  const { rankSum, tieTerm } = rankCandidate(baseline, candidate);
  const u = rankSum - (nc * (nc + 1)) / 2;
  const uMax = Math.max(u, nb * nc - u);
  const hasTies = tieTerm > 0;
  const requested = options.method ?? 'auto';
  const method: MannWhitneyMethod = requested === 'auto' ? (nb + nc <= MWU_EXACT_MAX_TOTAL ? 'exact' : 'normal') : requested;

  let pValue: number;
  if (method === 'exact' && hasTies) {
    pValue = exactTiedP(baseline, candidate, u);
  } else if (method === 'exact') {
    const sf = mannWhitneyExactSf(nb, nc);
    pValue = Math.min(1, 2 * sf[uMax]!);
  } else {
    const total = nb + nc;
    const variance = ((nb * nc) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
    pValue = variance > 0 ? Math.min(1, 2 * normalSf((uMax - (nb * nc) / 2 - 0.5) / Math.sqrt(variance))) : 1;
  }
  return { u, pValue, method, hasTies };
}

/**
 * Exact two-sided permutation p-value of U with mid-ranks, given the pooled tie structure.
 * counts[k][s] = number of ways to choose k candidates among the tie groups seen so far with doubled rank sum s.
 */
function exactTiedP(baseline: readonly number[], candidate: readonly number[], u: number): number {
  const nb = baseline.length;
  const nc = candidate.length;
  const total = nb + nc;
  const pooled = [...baseline, ...candidate].sort((a, b) => a - b);
  const groups: Array<{ size: number; doubledRank: number }> = [];
  let i = 0;
  while (i < total) {
    let j = i;
    while (j + 1 < total && pooled[j + 1] === pooled[i]) j++;
    groups.push({ size: j - i + 1, doubledRank: i + j + 2 }); // 2 × mid-rank of 1-based ranks i+1 … j+1
    i = j + 1;
  }
  const maxSum = total * (total + 1); // doubled sum of all ranks
  let counts: Float64Array[] = [];
  for (let k = 0; k <= nc; k++) counts.push(new Float64Array(maxSum + 1));
  counts[0]![0] = 1;
  for (const g of groups) {
    const next: Float64Array[] = [];
    for (let k = 0; k <= nc; k++) next.push(new Float64Array(maxSum + 1));
    let binom = 1; // C(size, j)
    for (let j = 0; j <= g.size && j <= nc; j++) {
      const shift = j * g.doubledRank;
      for (let k = 0; k + j <= nc; k++) {
        const from = counts[k]!;
        const to = next[k + j]!;
        for (let s = 0; s + shift <= maxSum; s++) if (from[s] !== 0) to[s + shift]! += binom * from[s]!;
      }
      binom = (binom * (g.size - j)) / (j + 1);
    }
    counts = next;
  }
  const dist = counts[nc]!;
  const offset = nc * (nc + 1); // doubled U = doubled rank sum − nc(nc + 1)
  const observed = Math.abs(2 * u - nb * nc);
  let hit = 0;
  let all = 0;
  for (let s = 0; s <= maxSum; s++) {
    const c = dist[s]!;
    if (c === 0) continue;
    all += c;
    if (Math.abs(s - offset - nb * nc) >= observed) hit += c;
  }
  return Math.min(1, hit / all);
}
