/**
 * Absolute Pearson correlations between numeric columns, fast when columns are complete:
 * each column is centred once and a pair costs one dot product.
 */
import { pearson } from './moments.ts';

interface CenteredColumn {
  readonly raw: Float64Array;
  readonly centered: Float64Array;
  readonly sumSquares: number;
  readonly complete: boolean;
}

function center(values: Float64Array): CenteredColumn {
  let n = 0;
  let sum = 0;
  for (const v of values) {
    if (v === v) {
      n++;
      sum += v;
    }
  }
  const mu = n > 0 ? sum / n : 0;
  const centered = new Float64Array(values.length);
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const d = values[i] - mu;
    centered[i] = d;
    if (d === d) ss += d * d;
  }
  return { raw: values, centered, sumSquares: ss, complete: n === values.length };
}

function pairCorrelation(a: CenteredColumn, b: CenteredColumn): number {
  if (!a.complete || !b.complete) return pearson(a.raw, b.raw);
  if (a.sumSquares <= 0 || b.sumSquares <= 0) return NaN;
  const x = a.centered;
  const y = b.centered;
  let d0 = 0;
  let d1 = 0;
  let d2 = 0;
  let d3 = 0;
  const n4 = x.length - (x.length % 4);
  for (let i = 0; i < n4; i += 4) {
    d0 += x[i] * y[i];
    d1 += x[i + 1] * y[i + 1];
    d2 += x[i + 2] * y[i + 2];
    d3 += x[i + 3] * y[i + 3];
  }
  for (let i = n4; i < x.length; i++) d0 += x[i] * y[i];
  const dot = d0 + d1 + d2 + d3;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(a.sumSquares * b.sumSquares)));
}

/**
 * |r| for every unordered pair of columns (pairwise-complete rows). Pairs with a constant or
 * too-short column are left out.
 * @param columns - numeric columns of equal length, NaN for missing
 * @returns the absolute correlations
 */
export function absolutePairCorrelations(columns: readonly Float64Array[]): number[] {
  const prepared = columns.map(center);
  const out: number[] = [];
  for (let a = 0; a < prepared.length; a++) {
    for (let b = a + 1; b < prepared.length; b++) {
      const r = pairCorrelation(prepared[a], prepared[b]);
      if (Number.isFinite(r)) out.push(Math.abs(r));
    }
  }
  return out;
}

/**
 * |r| between each column and a target (pairwise-complete rows); undefined pairs are left out.
 * @returns the absolute correlations
 */
export function absoluteTargetCorrelations(columns: readonly Float64Array[], target: Float64Array): number[] {
  const t = center(target);
  const out: number[] = [];
  for (const column of columns) {
    const r = pairCorrelation(center(column), t);
    if (Number.isFinite(r)) out.push(Math.abs(r));
  }
  return out;
}
