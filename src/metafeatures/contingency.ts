/**
 * Two-way frequency tables of coded columns (codes ≥ 0, −1 missing), built over the rows where
 * both codes are present, and the information measures pymfe derives from them.
 */
import { entropyBits } from './general.ts';

/** The non-empty cells of a two-way table, with its margins. */
export interface Contingency {
  /** Row code, column code and count of each non-empty cell. */
  readonly rowOf: Int32Array;
  readonly colOf: Int32Array;
  readonly count: Float64Array;
  readonly rowSums: Float64Array;
  readonly colSums: Float64Array;
  readonly total: number;
}

const DENSE_LIMIT = 1 << 20;

/**
 * Counts the pairs (a[i], b[i]) over the rows where both are present.
 * @param a - row codes in 0..nA-1, −1 missing
 * @param b - column codes in 0..nB-1, −1 missing
 * @param rows - the rows to count
 */
export function contingency(a: Int32Array, nA: number, b: Int32Array, nB: number, rows: Int32Array): Contingency {
  const size = nA * nB;
  if (size > DENSE_LIMIT) return sparseContingency(a, nA, b, nB, rows);
  const dense = new Int32Array(size);
  const allRows = rows.length === a.length;
  for (let k = 0; k < rows.length; k++) {
    const i = allRows ? k : rows[k];
    const x = a[i];
    const y = b[i];
    if (x >= 0 && y >= 0) dense[x * nB + y]++;
  }
  return tableFromCounts(nA, nB, dense, 0, nB);
}

/**
 * Builds a table from dense counts: cell (row, col) at counts[offset + row · stride + col]; the
 * non-empty cells in row-major order.
 */
function tableFromCounts(nA: number, nB: number, counts: Int32Array, offset: number, stride: number): Contingency {
  let cells = 0;
  for (let x = 0; x < nA; x++) {
    const base = offset + x * stride;
    for (let y = 0; y < nB; y++) if (counts[base + y] > 0) cells++;
  }
  const table = emptyTable(cells, nA, nB);
  let j = 0;
  for (let x = 0; x < nA; x++) {
    const base = offset + x * stride;
    for (let y = 0; y < nB; y++) {
      const c = counts[base + y];
      if (c > 0) addCell(table, j++, x, y, c);
    }
  }
  return table;
}

type MutableContingency = { -readonly [K in keyof Contingency]: Contingency[K] };

function emptyTable(cells: number, nA: number, nB: number): MutableContingency {
  return {
    rowOf: new Int32Array(cells),
    colOf: new Int32Array(cells),
    count: new Float64Array(cells),
    rowSums: new Float64Array(nA),
    colSums: new Float64Array(nB),
    total: 0,
  };
}

function addCell(t: MutableContingency, j: number, row: number, col: number, c: number): void {
  t.rowOf[j] = row;
  t.colOf[j] = col;
  t.count[j] = c;
  t.rowSums[row] += c;
  t.colSums[col] += c;
  t.total += c;
}

/** The same table through a hash map, for code ranges too wide for a dense array. */
function sparseContingency(a: Int32Array, nA: number, b: Int32Array, nB: number, rows: Int32Array): Contingency {
  const cells = new Map<number, number>();
  for (const i of rows) {
    const x = a[i];
    const y = b[i];
    if (x < 0 || y < 0) continue;
    const key = x * nB + y;
    cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  const table = emptyTable(cells.size, nA, nB);
  let j = 0;
  for (const [key, c] of cells) addCell(table, j++, Math.floor(key / nB), key % nB, c);
  return table;
}

/** Joint entropy (bits) of the table. */
export function jointEntropy(t: Contingency): number {
  return entropyBits(t.count);
}

/** Mutual information H(row) + H(col) − H(row, col), all over the table's rows. */
export function mutualInformation(t: Contingency): number {
  return entropyBits(t.rowSums) + entropyBits(t.colSums) - jointEntropy(t);
}

/**
 * Concentration coefficient of rows towards columns (Kalousis & Hilario 2001, pymfe's `_calc_conc`):
 * (Σ p_ij² / p_.j − Σ p_i.²) / (1 − Σ p_i.²).
 * @returns the coefficient, NaN when the row variable is constant
 */
export function concentration(t: Contingency): number {
  if (t.total === 0) return NaN;
  let rowSq = 0;
  for (const r of t.rowSums) rowSq += (r / t.total) ** 2;
  if (1 - rowSq <= 1e-12) return NaN;
  let s = 0;
  for (let j = 0; j < t.count.length; j++) {
    const p = t.count[j] / t.total;
    s += (p * p) / (t.colSums[t.colOf[j]] / t.total);
  }
  return (s - rowSq) / (1 - rowSq);
}

/**
 * {@link concentration} of a table and of its transpose, the table given as dense counts (cell
 * (row, col) at counts[offset + row · stride + col]) — without building it: the margins summed
 * cell by cell in row-major order and the same operations in the same order as on the table
 * {@link tableFromCounts} would build, so the same two values.
 * @param rowSums - work array of at least nA entries (overwritten)
 * @param colSums - work array of at least nB entries (overwritten)
 * @returns [rows towards columns, columns towards rows]
 */
export function concentrationsFromCounts(nA: number, nB: number, counts: Int32Array, offset: number, stride: number, rowSums: Float64Array, colSums: Float64Array): [number, number] {
  rowSums.fill(0, 0, nA);
  colSums.fill(0, 0, nB);
  let total = 0;
  for (let x = 0; x < nA; x++) {
    const base = offset + x * stride;
    for (let y = 0; y < nB; y++) {
      const c = counts[base + y];
      if (c > 0) {
        rowSums[x] += c;
        colSums[y] += c;
        total += c;
      }
    }
  }
  if (total === 0) return [NaN, NaN];
  let rowSq = 0;
  for (let x = 0; x < nA; x++) rowSq += (rowSums[x] / total) ** 2;
  let colSq = 0;
  for (let y = 0; y < nB; y++) colSq += (colSums[y] / total) ** 2;
  const rowsDefined = !(1 - rowSq <= 1e-12);
  const colsDefined = !(1 - colSq <= 1e-12);
  let s = 0;
  let t = 0;
  for (let x = 0; x < nA; x++) {
    const base = offset + x * stride;
    for (let y = 0; y < nB; y++) {
      const c = counts[base + y];
      if (c > 0) {
        const p = c / total;
        s += (p * p) / (colSums[y] / total);
        t += (p * p) / (rowSums[x] / total);
      }
    }
  }
  return [rowsDefined ? (s - rowSq) / (1 - rowSq) : NaN, colsDefined ? (t - colSq) / (1 - colSq) : NaN];
}
