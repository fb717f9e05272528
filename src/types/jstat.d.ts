/**
 * Minimal declaration for jstat 1.9 (CommonJS, no bundled types). Only what benchsuite touches.
 * Node's ESM loader exposes no named exports for it: import the default and destructure,
 *   import jstat from 'jstat'; const { jStat } = jstat;
 */
declare module 'jstat' {
  interface JStatContinuousDistribution<Params extends number[]> {
    pdf(x: number, ...params: Params): number;
    cdf(x: number, ...params: Params): number;
    inv(p: number, ...params: Params): number;
    mean(...params: Params): number;
    variance(...params: Params): number;
  }

  interface JStatStatic {
    /** Student's t with real-valued degrees of freedom: studentt.cdf(t, df), studentt.inv(p, df). */
    studentt: JStatContinuousDistribution<[df: number]>;
    /** Normal: normal.cdf(x, mean, sd), normal.inv(p, mean, sd). */
    normal: JStatContinuousDistribution<[mean: number, sd: number]>;
    /** Regularized incomplete beta I_x(a, b). */
    ibeta(x: number, a: number, b: number): number;
    /** ln Γ(x). */
    gammaln(x: number): number;
  }

  const jstat: { jStat: JStatStatic };
  export default jstat;
}
