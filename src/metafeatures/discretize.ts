/**
 * pymfe's discretisation of numeric attributes for the information-theoretic group: an
 * equal-frequency histogram with floor(n^(1/3)) bins, whose cut points are numpy percentiles
 * (linear interpolation); repeated cut points are dropped; a value v gets the number of cut
 * points strictly below it (numpy `digitize(..., right=True)`).
 */

/**
 * numpy's default (linear) percentile of sorted values, with numpy's two-sided interpolation.
 * @param sorted - ascending values, no NaN
 * @param p - percentile in [0, 100]
 * @returns the percentile
 */
export function percentile(sorted: Float64Array, p: number): number {
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Cut points of pymfe's equal-frequency histogram (numpy `arange(100/k, 100, 100/k)` percentiles).
 * @param sorted - ascending present values (at least one)
 * @param nBins - number of bins
 * @returns strictly increasing cut points
 */
export function equalFrequencyCuts(sorted: Float64Array, nBins: number): number[] {
  const step = 100 / nBins;
  const count = Math.max(0, Math.ceil((100 - step) / step));
  const raw: number[] = [];
  for (let i = 0; i < count; i++) raw.push(percentile(sorted, step + i * step));
  const kept = raw.filter((v, i) => i === 0 || v - raw[i - 1] > 1e-8);
  return [...new Set(kept)].sort((x, y) => x - y);
}

/** pymfe's default number of bins: floor(n^(1/3)), at least 1. */
export function defaultBinCount(nRows: number): number {
  return Math.max(1, Math.floor(Math.pow(nRows, 1 / 3)));
}

/**
 * Discretises a numeric column into bin codes.
 * @param values - the column, NaN for missing
 * @param nBins - number of equal-frequency bins
 * @returns codes 0..k (−1 where missing) and the number of codes
 */
export function discretize(values: Float64Array, nBins: number): { codes: Int32Array; nCodes: number } {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const codes = new Int32Array(values.length).fill(-1);
  if (n === 0) return { codes, nCodes: 0 };
  const present = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (values[i] === values[i]) present[k++] = values[i];
  present.sort();
  const cuts = Float64Array.from(equalFrequencyCuts(present, nBins));
  const m = cuts.length;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    let lo = 0; // number of cut points strictly below v (binary search)
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cuts[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    codes[i] = lo;
  }
  return { codes, nCodes: cuts.length + 1 };
}
