// Small statistics used by the indicators (docs/adr/0025). Pure functions, tested on their own.

/** ln Γ(x), Lanczos (g = 7, n = 9); |error| < 1e-13 for x > 0. */
export function lgamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const xx = x - 1;
  let a = c[0] as number;
  const t = xx + 7.5;
  for (let i = 1; i < 9; i++) a += (c[i] as number) / (xx + i);
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln P(X ≥ k) for X ~ Poisson(λ), summed in log space from k upwards (exact in the far tail). */
export function poissonUpperLog(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return Number.NEGATIVE_INFINITY;
  const logTerm = (j: number) => -lambda + j * Math.log(lambda) - lgamma(j + 1);
  if (k <= lambda) {
    // Upper tail is large: 1 − P(X ≤ k − 1), summed directly.
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(logTerm(j));
    return Math.log(Math.max(1e-300, 1 - s));
  }
  let max = logTerm(k);
  let acc = 1;
  for (let j = k + 1; j < k + 10_000; j++) {
    const r = Math.exp(logTerm(j) - max);
    acc += r;
    if (r < 1e-17 * acc) break;
  }
  max += Math.log(acc);
  return Math.min(0, max);
}

export const poissonUpper = (k: number, lambda: number) => Math.exp(poissonUpperLog(k, lambda));

/**
 * Benjamini–Hochberg: adjusted p-values (q) for `p`, given `m` tests in all (m ≥ p.length:
 * tests not listed had larger p-values and are never significant).
 */
export function benjaminiHochberg(p: number[], m = p.length): number[] {
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const q = new Array<number>(p.length);
  let min = 1;
  for (let r = order.length - 1; r >= 0; r--) {
    const [v, i] = order[r] as readonly [number, number];
    min = Math.min(min, (v * m) / (r + 1));
    q[i] = min;
  }
  return q;
}

/** Standard normal quantile (Acklam), from ln p for the far tail: z with P(Z ≥ z) = p. */
export function zFromUpperLog(logP: number): number {
  if (logP > -690) return -normalQuantile(Math.exp(logP));
  // Beyond double precision: the asymptotic inverse of the Mills ratio.
  const t = -2 * logP;
  return Math.sqrt(t - Math.log(t) - Math.log(2 * Math.PI));
}

export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  if (p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return Number.POSITIVE_INFINITY;
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p <= 1 - pl) {
    const q = p - 0.5;
    const r = q * q;
    return (
      ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
      (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
    );
  }
  const q = Math.sqrt(-2 * Math.log(1 - p));
  return (
    -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
  );
}

/** Funnel limits: 95 % and 99.8 % two-sided. */
export const Z95 = 1.959963984540054;
export const Z998 = 3.090232306167813;

/** An ordinary least-squares fit: coefficients in the order of the columns, their standard errors. */
export interface OlsFit {
  n: number;
  coef: number[];
  se: number[];
  r2: number;
}

/**
 * OLS of y on the columns of X (an intercept is the caller's column of ones), by the normal
 * equations and Gauss–Jordan inversion of X'X (a handful of regressors: exact enough, and the
 * inverse gives the standard errors √(s²·(X'X)⁻¹_jj), s² = RSS / (n − p)). Null when there are no
 * more observations than coefficients or X'X is singular (e.g. every rate the same).
 */
export function ols(y: number[], X: number[][]): OlsFit | null {
  const n = y.length;
  const p = X[0]?.length ?? 0;
  if (n <= p || p === 0) return null;
  const a: number[][] = Array.from({ length: p }, (_, i) =>
    Array.from({ length: 2 * p }, (_, j) =>
      j < p ? X.reduce((s, row) => s + (row[i] as number) * (row[j] as number), 0) : j - p === i ? 1 : 0,
    ),
  );
  const scale = Math.max(...a.map((r, i) => Math.abs(r[i] as number)), 1e-300);
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++)
      if (Math.abs((a[r] as number[])[c] as number) > Math.abs((a[piv] as number[])[c] as number)) piv = r;
    if (Math.abs((a[piv] as number[])[c] as number) < 1e-12 * scale) return null;
    [a[c], a[piv]] = [a[piv] as number[], a[c] as number[]];
    const rowC = a[c] as number[];
    const d = rowC[c] as number;
    for (let j = 0; j < 2 * p; j++) rowC[j] = (rowC[j] as number) / d;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const row = a[r] as number[];
      const f = row[c] as number;
      for (let j = 0; j < 2 * p; j++) row[j] = (row[j] as number) - f * (rowC[j] as number);
    }
  }
  const inv = a.map((r) => r.slice(p));
  const xty = Array.from({ length: p }, (_, i) =>
    X.reduce((s, row, k) => s + (row[i] as number) * (y[k] as number), 0),
  );
  const coef = inv.map((r) => r.reduce((s, v, j) => s + v * (xty[j] as number), 0));
  const fitted = X.map((row) => row.reduce((s, v, j) => s + v * (coef[j] as number), 0));
  const rss = y.reduce((s, v, k) => s + (v - (fitted[k] as number)) ** 2, 0);
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const tss = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const s2 = rss / (n - p);
  return {
    n,
    coef,
    se: inv.map((r, j) => Math.sqrt(Math.max(0, s2 * (r[j] as number)))),
    r2: tss > 0 ? 1 - rss / tss : 0,
  };
}
