/**
 * [OUT6] The cohort chart's spread, by one named method so a facilitator, a statistician and a
 * spreadsheet agree: quantiles by linear interpolation between closest ranks — Hyndman & Fan's
 * type 7, the default of R's `quantile`, NumPy's `percentile` and Excel's QUARTILE.INC. With
 * values sorted v[0..n-1], the p-quantile is at position h = (n − 1)·p, interpolated between
 * v[⌊h⌋] and v[⌈h⌉]. Both the quartiles and the minimum and maximum are given.
 */
export interface Spread {
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** The p-quantile (0 ≤ p ≤ 1) of values already sorted ascending; null for no values. */
export function quantileSorted(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const below = sorted[lo] ?? 0;
  const above = sorted[Math.ceil(h)] ?? below;
  return below + (h - lo) * (above - below);
}

/** The five-number summary of `values` (any order), or null when there are none. */
export function spreadOf(values: readonly number[]): Spread | null {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number): number => quantileSorted(sorted, p) ?? 0;
  if (sorted.length === 0) return null;
  return { n: sorted.length, min: q(0), q1: q(0.25), median: q(0.5), q3: q(0.75), max: q(1) };
}
