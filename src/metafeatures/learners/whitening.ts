/**
 * Rank-revealing whitening of a symmetric positive semi-definite matrix S (p × p) by pivoted
 * Cholesky: S ≈ L Lᵀ with L of rank r, pivots chosen by largest remaining diagonal and stopped
 * when it falls to `tolerance` × the largest diagonal. This
 * gives S⁺ = L (LᵀL)⁻² Lᵀ, so exactly collinear or constant directions are dropped rather than
 * blown up — a pseudo-inverse at the cost of a Cholesky factorisation instead of an eigensolver
 * (solves with G = LᵀL by ml-matrix's Cholesky arithmetic).
 */
import { CholeskyDecomposition, Matrix, pseudoInverse as pseudoInverseOf } from 'ml-matrix';
import { addUpperGramOfRows, symmetrize } from './gram.ts';

/**
 * Prepares x ↦ S⁺x for a symmetric positive semi-definite S.
 * @param s - the matrix, row-major, p × p (only read)
 * @param p - its order
 * @param tolerance - relative pivot threshold of the pivoted Cholesky factorisation
 * @returns the rank of S and a function computing S⁺b (minimum-norm solution of S x = b)
 */
export function pseudoInverse(s: Float64Array, p: number, tolerance: number): { rank: number; solve: (b: Float64Array) => Float64Array } {
  const { l, rank } = pivotedCholesky(s, p, tolerance);
  const g = new Float64Array(rank * rank); // G = LᵀL, each cell summed over the rows of L in order
  addUpperGramOfRows(l, p, rank, g);
  symmetrize(g, rank);
  const solveG = gramSolver(g, rank);
  const solve = (b: Float64Array): Float64Array => {
    const lt = new Float64Array(rank); // S⁺ b = L G⁻¹ G⁻¹ Lᵀ b
    for (let i = 0; i < p; i++) for (let a = 0; a < rank; a++) lt[a] += l[i * rank + a] * b[i];
    const t = solveG(solveG(lt));
    const out = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let v = 0;
      for (let a = 0; a < rank; a++) v += l[i * rank + a] * t[a];
      out[i] = v;
    }
    return out;
  };
  return { rank, solve };
}

/** L (p × r, row-major, rows in original order) with S ≈ L Lᵀ. */
function pivotedCholesky(s: Float64Array, p: number, tolerance: number): { l: Float64Array; rank: number } {
  const diag = new Float64Array(p);
  let largest = 0;
  for (let i = 0; i < p; i++) largest = Math.max(largest, (diag[i] = s[i * p + i]));
  // Row-major, p × p: cell (i, k) is row i of the k-th column found, so the sums over the
  // earlier columns read contiguous memory (same terms in the same order as column by column).
  const full = new Float64Array(p * p);
  const used = new Uint8Array(p);
  let rank = 0;
  while (rank < p) {
    let pivot = -1;
    for (let i = 0; i < p; i++) if (!used[i] && (pivot < 0 || diag[i] > diag[pivot])) pivot = i;
    if (pivot < 0 || !(diag[pivot] > tolerance * largest)) break;
    used[pivot] = 1;
    const root = Math.sqrt(diag[pivot]);
    const pivotRow = pivot * p;
    for (let i = 0; i < p; i++) {
      if (used[i]) continue; // the pivot's own cell is the root
      const row = i * p;
      let v = s[row + pivot];
      for (let k = 0; k < rank; k++) v -= full[row + k] * full[pivotRow + k];
      full[row + rank] = v / root;
    }
    full[pivotRow + rank] = root;
    for (let i = 0; i < p; i++) if (!used[i]) diag[i] -= full[i * p + rank] * full[i * p + rank];
    rank++;
  }
  const l = new Float64Array(p * rank);
  for (let i = 0; i < p; i++) for (let k = 0; k < rank; k++) l[i * rank + k] = full[i * p + k];
  return { l, rank };
}

/**
 * x ↦ G⁻¹x for the r × r Gram matrix G = LᵀL: a Cholesky factorisation and its two triangular
 * solves with the operations of ml-matrix's `CholeskyDecomposition` in the same order (so the
 * same numbers) on flat arrays; ml-matrix itself when G is not exactly symmetric (a NaN), where
 * it throws, and its SVD pseudo-inverse in the rare case rounding leaves G not positive definite.
 * @param g - G, row-major, r × r (only read)
 * @param r - its order
 * @returns b ↦ G⁻¹b
 */
export function gramSolver(g: Float64Array, r: number): (b: Float64Array) => Float64Array {
  if (r === 0) return (b) => b;
  const l = symmetric(g, r) ? choleskyFactor(g, r) : null;
  if (l !== null) return (b) => choleskySolve(l, r, b);
  const m = new Matrix(r, r);
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) m.set(a, b, g[a * r + b]);
  const cholesky = new CholeskyDecomposition(m);
  if (cholesky.isPositiveDefinite()) return (b) => Float64Array.from(cholesky.solve(Matrix.columnVector(Array.from(b))).getColumn(0));
  const inverse = pseudoInverseOf(m);
  return (b) => Float64Array.from(inverse.mmul(Matrix.columnVector(Array.from(b))).getColumn(0));
}

/** ml-matrix's `isSymmetric`: every cell equal to its mirror (a NaN never is). */
function symmetric(g: Float64Array, r: number): boolean {
  for (let i = 0; i < r; i++) for (let j = 0; j <= i; j++) if (g[i * r + j] !== g[j * r + i]) return false;
  return true;
}

/** The lower factor (row-major) of ml-matrix's Cholesky loop, or null where it is not positive definite. */
function choleskyFactor(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  let positiveDefinite = true;
  for (let j = 0; j < n; j++) {
    let d = 0;
    for (let k = 0; k < j; k++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += l[k * n + i] * l[j * n + i];
      s = (a[j * n + k] - s) / l[k * n + k];
      l[j * n + k] = s;
      d = d + s * s;
    }
    d = a[j * n + j] - d;
    positiveDefinite &&= d > 0;
    l[j * n + j] = Math.sqrt(Math.max(d, 0));
  }
  return positiveDefinite ? l : null;
}

/** ml-matrix's Cholesky `solve` for one right-hand side: L y = b, then Lᵀ x = y. */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const x = Float64Array.from(b);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < k; i++) x[k] = x[k] - x[i] * l[k * n + i];
    x[k] = x[k] / l[k * n + k];
  }
  for (let k = n - 1; k >= 0; k--) {
    for (let i = k + 1; i < n; i++) x[k] = x[k] - x[i] * l[i * n + k];
    x[k] = x[k] / l[k * n + k];
  }
  return x;
}
