/**
 * Absolute Pearson correlations between numeric columns, fast when columns are complete:
 * each column is centred once and a pair costs one dot product (two partners per pass, in the
 * WebAssembly SIMD kernel where available: the same four-lane sums).
 */
import { pearson, type Moments } from './moments.ts';
import { simdKernels, type SimdKernels } from './simd-kernels.ts';

interface CenteredColumn {
  readonly raw: Float64Array;
  readonly centered: Float64Array;
  readonly sumSquares: number;
  readonly complete: boolean;
}

/**
 * Centres a column into `centered` (same length). With the column's moments given (and finite),
 * their mean and Σ(x − mean)² are used — the same sums this function would compute — and one
 * pass is left.
 */
function center(values: Float64Array, centered: Float64Array = new Float64Array(values.length), given?: Moments): CenteredColumn {
  if (given !== undefined && Number.isFinite(given.mean) && Number.isFinite(given.ss)) {
    const mu = given.n > 0 ? given.mean : 0;
    for (let i = 0; i < values.length; i++) centered[i] = values[i] - mu;
    return { raw: values, centered, sumSquares: given.n > 0 ? given.ss : 0, complete: given.n === values.length };
  }
  let n = 0;
  let sum = 0;
  for (const v of values) {
    if (v === v) {
      n++;
      sum += v;
    }
  }
  const mu = n > 0 ? sum / n : 0;
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
 * @param stats - optionally, each column's {@link moments} (saves a pass per column)
 * @returns the absolute correlations
 */
export function absolutePairCorrelations(columns: readonly Float64Array[], stats?: readonly Moments[]): number[] {
  const n = columns.length > 0 ? columns[0].length : 0;
  const doubles = columns.length * n + 8; // the centred columns one after another, then eight lanes
  const kernel = columns.length >= 3 ? simdKernels(doubles) : null;
  const memory = kernel?.memory;
  const prepared = columns.map((c, j) => center(c, memory?.subarray(j * n, (j + 1) * n), stats?.[j]));
  const twoDots = kernel && memory ? kernelDots(kernel, memory, prepared) : (a: number, b: number, c: number) => scalarTwoDots(prepared[a].centered, prepared[b].centered, prepared[c].centered);
  const out: number[] = [];
  const keep = (r: number) => {
    if (Number.isFinite(r)) out.push(Math.abs(r));
  };
  for (let a = 0; a < prepared.length; a++) {
    let b = a + 1;
    // Two partners per pass when all three columns take the dot-product path (each loaded value
    // of column a serves both; every dot is summed exactly as pairCorrelation sums it).
    for (; b + 1 < prepared.length; b += 2) {
      if (fastPath(prepared[a]) && fastPath(prepared[b]) && fastPath(prepared[b + 1])) {
        const [d0, d1] = twoDots(a, b, b + 1);
        keep(fromDot(d0, prepared[a], prepared[b]));
        keep(fromDot(d1, prepared[a], prepared[b + 1]));
      } else {
        keep(pairCorrelation(prepared[a], prepared[b]));
        keep(pairCorrelation(prepared[a], prepared[b + 1]));
      }
    }
    if (b < prepared.length) keep(pairCorrelation(prepared[a], prepared[b]));
  }
  return out;
}

function fastPath(c: CenteredColumn): boolean {
  return c.complete && c.sumSquares > 0;
}

function fromDot(dot: number, a: CenteredColumn, b: CenteredColumn): number {
  return Math.max(-1, Math.min(1, dot / Math.sqrt(a.sumSquares * b.sumSquares)));
}

/**
 * {@link scalarTwoDots} of centred columns a, b, c held in the kernel's memory (column j at
 * doubles j·n …): the kernel sums the four lanes over the first n − n mod 4 entries, the tail and
 * the lane total follow here as in the scalar code.
 */
function kernelDots(kernel: SimdKernels, memory: Float64Array, prepared: readonly CenteredColumn[]): (a: number, b: number, c: number) => [number, number] {
  const n = prepared[0].centered.length;
  const n4 = n - (n % 4);
  const lanes = prepared.length * n;
  return (a, b, c) => {
    kernel.dots2(8 * a * n, 8 * b * n, 8 * c * n, 8 * n4, 8 * lanes);
    let p0 = memory[lanes];
    let q0 = memory[lanes + 4];
    const x = prepared[a].centered;
    const y = prepared[b].centered;
    const z = prepared[c].centered;
    for (let i = n4; i < n; i++) {
      p0 += x[i] * y[i];
      q0 += x[i] * z[i];
    }
    return [p0 + memory[lanes + 1] + memory[lanes + 2] + memory[lanes + 3], q0 + memory[lanes + 5] + memory[lanes + 6] + memory[lanes + 7]];
  };
}

/** x·y and x·z, each summed in four lanes over i mod 4 (tail into lane 0), as {@link pairCorrelation}. */
function scalarTwoDots(x: Float64Array, y: Float64Array, z: Float64Array): [number, number] {
  let p0 = 0;
  let p1 = 0;
  let p2 = 0;
  let p3 = 0;
  let q0 = 0;
  let q1 = 0;
  let q2 = 0;
  let q3 = 0;
  const n4 = x.length - (x.length % 4);
  for (let i = 0; i < n4; i += 4) {
    const x0 = x[i];
    const x1 = x[i + 1];
    const x2 = x[i + 2];
    const x3 = x[i + 3];
    p0 += x0 * y[i];
    p1 += x1 * y[i + 1];
    p2 += x2 * y[i + 2];
    p3 += x3 * y[i + 3];
    q0 += x0 * z[i];
    q1 += x1 * z[i + 1];
    q2 += x2 * z[i + 2];
    q3 += x3 * z[i + 3];
  }
  for (let i = n4; i < x.length; i++) {
    p0 += x[i] * y[i];
    q0 += x[i] * z[i];
  }
  return [p0 + p1 + p2 + p3, q0 + q1 + q2 + q3];
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
