/**
 * Sums of outer products over the rows of a matrix, register-tiled: each cell (a, b) of the upper
 * triangle gains Σ_i left[a][i] · right[b][i], added one row at a time in row order — exactly the
 * sums that adding the rows' outer products one by one produces (`g += v vᵀ` per row), with two
 * columns of `left` against four of `right` per pass over the rows instead of one
 * load-add-store of the matrix per product.
 */

import { simdKernels } from '../simd-kernels.ts';

/** A matrix stored column by column: value of row i in column j at `values[j * nRows + i]`. */
export interface ColumnMajor {
  readonly values: Float64Array;
  readonly nRows: number;
  readonly nCols: number;
}

/**
 * Copies a row-major matrix into column-major order.
 * @param data - row-major values, `nRows × nCols`
 * @param rows - the rows to copy, in output order (default all)
 * @param negate - store −v instead of v
 */
export function toColumnMajor(data: Float64Array, nRows: number, nCols: number, rows?: Int32Array, negate = false): ColumnMajor {
  const m = rows ? rows.length : nRows;
  const values = new Float64Array(m * nCols);
  const sign = negate ? -1 : 1;
  // Sixteen rows at a time: the sixteen source rows and each column's sixteen-value run stay in cache.
  for (let k0 = 0; k0 < m; k0 += 16) {
    const k1 = Math.min(m, k0 + 16);
    for (let j = 0; j < nCols; j++) {
      const out = j * m;
      for (let k = k0; k < k1; k++) values[out + k] = sign * data[(rows ? rows[k] : k) * nCols + j];
    }
  }
  return { values, nRows: m, nCols };
}

/**
 * g[a·p + b] += Σ_i left[a][i] · right[b][i] for every a ≤ b (the upper triangle of the p × p
 * matrix g), each sum accumulated onto the cell's current value one row at a time, in row order.
 * The lower triangle is not written.
 * @param left - column-major, p columns
 * @param right - column-major, same shape
 * @param g - p × p, row-major
 */
export function addUpperGram(left: ColumnMajor, right: ColumnMajor, g: Float64Array): void {
  const p = left.nCols;
  for (let a = 0; a < p; a += 2) {
    const pair = a + 1 < p;
    let b = a;
    for (; b + 3 < p; b += 4) {
      if (pair) tile2x4(left, right, g, a, b);
      else for (let q = 0; q < 4; q++) cell(left, right, g, a, b + q);
    }
    for (; b < p; b++) {
      cell(left, right, g, a, b);
      if (pair && b > a) cell(left, right, g, a + 1, b);
    }
  }
}

/**
 * g[a·p + b] += Σ_k s·data[r_k][a] · data[r_k][b] for every a ≤ b, over the rows r_k (default all)
 * in order, s = −1 when `negate` (the outer products subtracted): {@link addUpperGram} of the
 * rows, in the SIMD kernel `gram4` where available (each cell a lane, the same products added in
 * the same order), else on column-major copies. The lower triangle is not written.
 * @param data - row-major, nRows × p
 * @param g - p × p, row-major
 */
export function addUpperGramOfRows(data: Float64Array, nRows: number, p: number, g: Float64Array, rows?: Int32Array, negate = false): void {
  const m = rows ? rows.length : nRows;
  const pp = Math.ceil(p / 4) * 4;
  const kernel = simdKernels((negate ? 2 : 1) * m * pp + pp * pp);
  if (kernel === null) {
    addUpperGram(toColumnMajor(data, nRows, p, rows, negate), toColumnMajor(data, nRows, p, rows), g);
    return;
  }
  // Memory: the rows (width padded to a multiple of four with zeros), their negated copy if
  // asked, then g padded likewise.
  const memory = kernel.memory;
  const right = 0;
  const left = negate ? m * pp : right;
  const sums = (negate ? 2 : 1) * m * pp;
  for (let k = 0; k < m; k++) {
    const from = (rows ? rows[k] : k) * p;
    for (let j = 0; j < p; j++) {
      const v = data[from + j];
      memory[right + k * pp + j] = v;
      if (negate) memory[left + k * pp + j] = -v;
    }
  }
  for (let a = 0; a < p; a++) for (let b = a; b < p; b++) memory[sums + a * pp + b] = g[a * p + b];
  kernel.gram4(8 * left, 8 * right, m, pp, 8 * sums);
  for (let a = 0; a < p; a++) for (let b = a; b < p; b++) g[a * p + b] = memory[sums + a * pp + b];
}

/** Copies the upper triangle of a p × p matrix onto its lower triangle. */
export function symmetrize(g: Float64Array, p: number): void {
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) g[a * p + b] = g[b * p + a];
}

/** One cell (a, b), a ≤ b: g += Σ_i left[a][i] · right[b][i], in row order. */
function cell(left: ColumnMajor, right: ColumnMajor, g: Float64Array, a: number, b: number): void {
  const n = left.nRows;
  const x = left.values;
  const y = right.values;
  const p = left.nCols;
  let s = g[a * p + b];
  for (let i = 0, ia = a * n, ib = b * n; i < n; i++) s += x[ia + i] * y[ib + i];
  g[a * p + b] = s;
}

/**
 * Cells (a, b..b+3) and (a+1, b..b+3): eight running sums over the rows. The cell (a+1, b) lies
 * below the diagonal when b = a; it is summed but not written.
 */
function tile2x4(left: ColumnMajor, right: ColumnMajor, g: Float64Array, a: number, b: number): void {
  const n = left.nRows;
  const p = left.nCols;
  const x = left.values;
  const y = right.values;
  const r0 = a * p + b;
  const r1 = r0 + p;
  let s00 = g[r0], s01 = g[r0 + 1], s02 = g[r0 + 2], s03 = g[r0 + 3];
  let s10 = g[r1], s11 = g[r1 + 1], s12 = g[r1 + 2], s13 = g[r1 + 3];
  const a0 = a * n;
  const a1 = a0 + n;
  const b0 = b * n;
  const b1 = b0 + n;
  const b2 = b1 + n;
  const b3 = b2 + n;
  for (let i = 0; i < n; i++) {
    const u = x[a0 + i];
    const v = x[a1 + i];
    const w0 = y[b0 + i];
    const w1 = y[b1 + i];
    const w2 = y[b2 + i];
    const w3 = y[b3 + i];
    s00 += u * w0;
    s01 += u * w1;
    s02 += u * w2;
    s03 += u * w3;
    s10 += v * w0;
    s11 += v * w1;
    s12 += v * w2;
    s13 += v * w3;
  }
  g[r0] = s00;
  g[r0 + 1] = s01;
  g[r0 + 2] = s02;
  g[r0 + 3] = s03;
  if (b > a) g[r1] = s10; // (a + 1, a) is below the diagonal
  g[r1 + 1] = s11;
  g[r1 + 2] = s12;
  g[r1 + 3] = s13;
}
