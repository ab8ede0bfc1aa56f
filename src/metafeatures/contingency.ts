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
  const rowSums = new Float64Array(nA);
  const colSums = new Float64Array(nB);
  const cells = new Map<number, number>();
  const dense = nA * nB <= DENSE_LIMIT ? new Float64Array(nA * nB) : null;
  let total = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const x = a[i];
    const y = b[i];
    if (x < 0 || y < 0) continue;
    total++;
    rowSums[x]++;
    colSums[y]++;
    const key = x * nB + y;
    if (dense) dense[key]++;
    else cells.set(key, (cells.get(key) ?? 0) + 1);
  }
  if (dense) dense.forEach((c, key) => c > 0 && cells.set(key, c));
  const rowOf = new Int32Array(cells.size);
  const colOf = new Int32Array(cells.size);
  const count = new Float64Array(cells.size);
  let j = 0;
  for (const [key, c] of cells) {
    rowOf[j] = Math.floor(key / nB);
    colOf[j] = key % nB;
    count[j++] = c;
  }
  return { rowOf, colOf, count, rowSums, colSums, total };
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
