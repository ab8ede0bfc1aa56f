/**
 * Rank-revealing whitening of a symmetric positive semi-definite matrix S (p × p) by pivoted
 * Cholesky: S ≈ L Lᵀ with L of rank r, pivots chosen by largest remaining diagonal and stopped
 * when it falls to `tolerance` × the largest diagonal. This
 * gives S⁺ = L (LᵀL)⁻² Lᵀ, so exactly collinear or constant directions are dropped rather than
 * blown up — a pseudo-inverse at the cost of a Cholesky factorisation instead of an eigensolver
 * (ml-matrix solves with G = LᵀL).
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
  const columns: Float64Array[] = [];
  const used = new Uint8Array(p);
  while (columns.length < p) {
    let pivot = -1;
    for (let i = 0; i < p; i++) if (!used[i] && (pivot < 0 || diag[i] > diag[pivot])) pivot = i;
    if (pivot < 0 || !(diag[pivot] > tolerance * largest)) break;
    used[pivot] = 1;
    const root = Math.sqrt(diag[pivot]);
    const col = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      if (used[i] && i !== pivot) continue;
      let v = s[i * p + pivot];
      for (let k = 0; k < columns.length; k++) {
        const prev = columns[k];
        v -= prev[i] * prev[pivot];
      }
      col[i] = i === pivot ? root : v / root;
    }
    for (let i = 0; i < p; i++) if (!used[i]) diag[i] -= col[i] * col[i];
    columns.push(col);
  }
  const rank = columns.length;
  const l = new Float64Array(p * rank);
  columns.forEach((col, k) => {
    for (let i = 0; i < p; i++) l[i * rank + k] = col[i];
  });
  return { l, rank };
}

/**
 * x ↦ G⁻¹x for the r × r Gram matrix G = LᵀL (ml-matrix Cholesky; its SVD pseudo-inverse in the
 * rare case rounding leaves G not positive definite).
 */
function gramSolver(g: Float64Array, r: number): (b: Float64Array) => Float64Array {
  if (r === 0) return (b) => b;
  const m = new Matrix(r, r);
  for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) m.set(a, b, g[a * r + b]);
  const cholesky = new CholeskyDecomposition(m);
  if (cholesky.isPositiveDefinite()) return (b) => Float64Array.from(cholesky.solve(Matrix.columnVector(Array.from(b))).getColumn(0));
  const inverse = pseudoInverseOf(m);
  return (b) => Float64Array.from(inverse.mmul(Matrix.columnVector(Array.from(b))).getColumn(0));
}
