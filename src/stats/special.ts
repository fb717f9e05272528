/**
 * Special functions used by the statistics engine: log-gamma, log-beta, the regularized incomplete beta
 * function, the complementary error function and the standard normal distribution.
 *
 * Everything here is written for double precision: the aim is a relative error of a few 1e-15 in the
 * ranges the engine uses (degrees of freedom from ~0.5 up to ~1e6, tail probabilities down to ~1e-300).
 */

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const TINY = 1e-300;
const EPS = 1e-16;

/**
 * Remainder of Stirling's series: lgamma(x) − [(x − ½)·ln x − x + ½·ln 2π], for x ≥ 10.
 * Terms B_{2k} / (2k(2k − 1) x^{2k−1}); at x = 10 the first omitted term is below 1e-19.
 */
function stirlingRemainder(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return (
    r *
    (1 / 12 +
      r2 *
        (-1 / 360 +
          r2 *
            (1 / 1260 +
              r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 * (1 / 156 + r2 * (-3617 / 122400))))))))
  );
}

/** ln Γ(x) for x > 0 (absolute error ~1e-15 near the zeros at 1 and 2). */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Infinity) return Infinity;
  if (x >= 10) return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + stirlingRemainder(x);
  // Shift up with Γ(x) = Γ(x + k) / (x (x + 1) … (x + k − 1)).
  let shifted = x;
  let product = 1;
  while (shifted < 10) {
    product *= shifted;
    shifted += 1;
  }
  return logGamma(shifted) - Math.log(product);
}

/**
 * ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b), arranged so that the large terms cancel analytically when
 * one or both arguments are large (e.g. the t distribution at df = 1e6 uses B(5e5, ½)).
 */
export function logBeta(a: number, b: number): number {
  if (!(a > 0) || !(b > 0)) return Number.NaN;
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (q < 10) return logGamma(p) + logGamma(q) - logGamma(p + q);
  const s = p + q;
  const corr = stirlingRemainder(q) - stirlingRemainder(s);
  if (p < 10) {
    // ln Γ(q) − ln Γ(p + q) expanded with Stirling's series.
    return logGamma(p) + corr + (q - 0.5) * Math.log1p(-p / s) - p * Math.log(s) + p;
  }
  return (
    HALF_LOG_2PI -
    0.5 * Math.log(q) +
    stirlingRemainder(p) +
    corr +
    (p - 0.5) * Math.log(p / s) +
    q * Math.log1p(-p / s)
  );
}

/**
 * Continued fraction for the incomplete beta function (modified Lentz evaluation). Converges quickly for
 * x < (a + 1) / (a + b + 2).
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const maxIterations = 100_000;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= maxIterations; m++) {
    const twoM = 2 * m;
    // Even step: m (b − m) x / ((a + 2m − 1)(a + 2m)).
    let coef = (m * (b - m) * x) / ((a + twoM - 1) * (a + twoM));
    d = 1 + coef * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coef / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step: −(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1)).
    coef = (-(a + m) * (a + b + m) * x) / ((a + twoM) * (a + twoM + 1));
    d = 1 + coef * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coef / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return h;
  }
  return h;
}

/** x^a (1 − x)^b / (a B(a, b)), with 1 − x passed separately to avoid cancellation. */
function betaFront(x: number, y: number, a: number, b: number): number {
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y);
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x);
  return Math.exp(a * logX + b * logY - logBeta(a, b)) / a;
}

/**
 * Both tails of the regularized incomplete beta function: lower = I_x(a, b), upper = 1 − I_x(a, b).
 * `y` must equal 1 − x; pass it when it is known more accurately than `1 - x`. Whichever tail is smaller
 * is computed directly, so both are accurate in absolute terms and the smaller one in relative terms.
 */
export function incompleteBetaTails(x: number, a: number, b: number, y: number = 1 - x): { lower: number; upper: number } {
  if (Number.isNaN(x) || !(a > 0) || !(b > 0)) return { lower: Number.NaN, upper: Number.NaN };
  if (x <= 0) return { lower: 0, upper: 1 };
  if (y <= 0) return { lower: 1, upper: 0 };
  if (x < (a + 1) / (a + b + 2)) {
    const lower = betaFront(x, y, a, b) * betaContinuedFraction(x, a, b);
    return { lower, upper: 1 - lower };
  }
  const upper = betaFront(y, x, b, a) * betaContinuedFraction(y, b, a);
  return { lower: 1 - upper, upper };
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  return incompleteBetaTails(x, a, b).lower;
}

/** Complementary error function erfc(x) = 1 − erf(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    // erf(x) = (2/√π) e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)): positive terms, no cancellation.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < sum * EPS) break;
    }
    return 1 - ((2 / SQRT_PI) * Math.exp(-x2) * sum);
  }
  if (x > 27.3) return 0;
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), Lentz evaluation.
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 5000; k++) {
    const coef = k / 2;
    d = x + coef * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = x + coef / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** Standard normal density. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / SQRT_2PI;
}

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Standard normal upper tail 1 − Φ(z), accurate far into the tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Standard normal quantile Φ⁻¹(p). Starts from the Abramowitz–Stegun 26.2.23 rational approximation
 * (|error| < 4.5e-4) and polishes with Newton steps on the tail probability to full precision.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  // Work with the smaller tail q (exact in floating point for p ≥ ½), solve Q(x) = q for x > 0.
  const upper = p > 0.5;
  const q = upper ? 1 - p : p;
  const t = Math.sqrt(-2 * Math.log(q));
  let x = t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308)));
  for (let i = 0; i < 50; i++) {
    const density = normalPdf(x);
    if (density === 0) break;
    const step = (normalSf(x) - q) / density;
    x += step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return upper ? x : -x;
}
