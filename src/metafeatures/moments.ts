/**
 * Moments and summaries on typed arrays. Missing values (NaN) are skipped. Skewness and kurtosis
 * follow scipy.stats defaults (population moments, `bias=True`; Fisher kurtosis, normal = 0).
 */
import { max, mean, min, sampleStandardDeviation, standardDeviation } from 'simple-statistics';

/** Central moments of the present values of a column. */
export interface Moments {
  /** Number of present (non-NaN) values. */
  readonly n: number;
  readonly mean: number;
  /** Σ(x − mean)², summed in row order (m2 = ss / n). */
  readonly ss: number;
  /** Population central moments: m_k = Σ(x − mean)^k / n. */
  readonly m2: number;
  readonly m3: number;
  readonly m4: number;
}

/**
 * Computes mean and central moments 2–4 of the present values, in two passes.
 * @param values - the column, NaN for missing
 * @param rows - optional subset of row indices
 * @returns the moments (n = 0 when nothing is present)
 */
export function moments(values: Float64Array, rows?: Int32Array): Moments {
  let n = 0;
  let sum = 0;
  const count = rows ? rows.length : values.length;
  for (let k = 0; k < count; k++) {
    const v = values[rows ? rows[k] : k];
    if (v === v) {
      n++;
      sum += v;
    }
  }
  const mu = n > 0 ? sum / n : NaN;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (let k = 0; k < count; k++) {
    const v = values[rows ? rows[k] : k];
    if (v === v) {
      const d = v - mu;
      const d2 = d * d;
      s2 += d2;
      s3 += d2 * d;
      s4 += d2 * d2;
    }
  }
  return { n, mean: mu, ss: s2, m2: s2 / n, m3: s3 / n, m4: s4 / n };
}

/**
 * Whether the values are constant up to rounding, as scipy decides before a skewness:
 * m2 ≤ (1e-15 · mean)².
 */
export function isDegenerate(m: Moments): boolean {
  return m.n < 2 || m.m2 <= (1e-15 * m.mean) ** 2 || m.m2 === 0;
}

/** Population skewness g1 = m3 / m2^1.5 (scipy.stats.skew, bias=True); NaN when degenerate. */
export function skewness(m: Moments): number {
  return isDegenerate(m) ? NaN : m.m3 / m.m2 ** 1.5;
}

/** Fisher kurtosis g2 = m4 / m2² − 3 (scipy.stats.kurtosis, bias=True); NaN when degenerate. */
export function kurtosis(m: Moments): number {
  return isDegenerate(m) ? NaN : m.m4 / (m.m2 * m.m2) - 3;
}

/** Skewness "type 3" of R's e1071 (pymfe's default): g1 · ((n−1)/n)^1.5. */
export function skewnessType3(m: Moments): number {
  return skewness(m) * ((m.n - 1) / m.n) ** 1.5;
}

/** Kurtosis "type 3" of R's e1071 (pymfe's default): (g2 + 3) · ((n−1)/n)² − 3. */
export function kurtosisType3(m: Moments): number {
  return (kurtosis(m) + 3) * ((m.n - 1) / m.n) ** 2 - 3;
}

/** Summary statistics of a list of per-attribute values (NaN entries are dropped first). */
export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation (numpy `std`, ddof = 0), as auto-sklearn uses. */
  readonly std: number;
  /** Sample standard deviation (ddof = 1), as pymfe's `sd` uses; NaN for one value. */
  readonly sd: number;
}

/**
 * Summarises values, dropping NaN.
 * @returns the summary; every statistic is NaN when nothing is left
 */
export function summarize(values: readonly number[]): Summary {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length === 0) return { count: 0, min: NaN, max: NaN, mean: NaN, std: NaN, sd: NaN };
  return {
    count: xs.length,
    min: min(xs),
    max: max(xs),
    mean: mean(xs),
    std: standardDeviation(xs),
    sd: xs.length > 1 ? sampleStandardDeviation(xs) : NaN,
  };
}

/**
 * Pearson correlation over the rows where both values are present.
 * @returns r, or NaN when fewer than two pairs or either side is constant
 */
export function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a === a && b === b) {
      n++;
      sx += a;
      sy += b;
    }
  }
  if (n < 2) return NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i] - mx;
    const b = y[i] - my;
    if (a === a && b === b) {
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
    }
  }
  if (sxx <= 0 || syy <= 0) return NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}
