/**
 * The LDA whitening's own Cholesky solve gives ml-matrix's numbers bit for bit, and the pivoted
 * Cholesky pseudo-inverse solves consistent systems of full and deficient rank.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CholeskyDecomposition, Matrix, pseudoInverse as pseudoInverseOf } from 'ml-matrix';
import { gramSolver, pseudoInverse } from '../../src/metafeatures/learners/whitening.ts';
import { Random } from '../../src/random.ts';

/** G = AᵀA (+ ridge on the diagonal), symmetric, row-major. */
function gram(rng: Random, rows: number, r: number, ridge: number): Float64Array {
  const a = Float64Array.from({ length: rows * r }, () => rng.normal());
  const g = new Float64Array(r * r);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < rows; k++) s += a[k * r + i] * a[k * r + j];
      g[i * r + j] = g[j * r + i] = s + (i === j ? ridge : 0);
    }
  }
  return g;
}

function mlMatrixSolve(g: Float64Array, r: number, b: Float64Array): Float64Array {
  const m = new Matrix(r, r);
  for (let a = 0; a < r; a++) for (let c = 0; c < r; c++) m.set(a, c, g[a * r + c]);
  const cholesky = new CholeskyDecomposition(m);
  const column = Matrix.columnVector(Array.from(b));
  return Float64Array.from((cholesky.isPositiveDefinite() ? cholesky.solve(column) : pseudoInverseOf(m).mmul(column)).getColumn(0));
}

test('gramSolver: the numbers of ml-matrix Cholesky solve, bit for bit (and its pseudo-inverse when singular)', () => {
  const rng = new Random(21);
  for (const [rows, r, ridge] of [[50, 1, 0], [50, 7, 0], [300, 40, 1e-3], [5, 12, 0], [3, 3, 0]]) {
    const g = gram(rng, rows, r, ridge);
    const solve = gramSolver(g, r);
    for (let t = 0; t < 3; t++) {
      const b = Float64Array.from({ length: r }, () => rng.normal());
      const expected = mlMatrixSolve(g, r, b);
      const got = solve(b);
      for (let i = 0; i < r; i++) assert.ok(Object.is(got[i], expected[i]), `${rows}x${r}: ${got[i]} vs ${expected[i]}`);
    }
  }
});

test('gramSolver: a NaN cell reaches ml-matrix, which refuses the matrix as before', () => {
  const g = Float64Array.of(1, 0, 0, NaN);
  assert.throws(() => gramSolver(g, 2), /not symmetric/);
});

test('pseudoInverse solves S x = b for b in the range of a rank-deficient S', () => {
  const rng = new Random(22);
  const p = 9;
  const basis = Array.from({ length: 4 }, () => Float64Array.from({ length: p }, () => rng.normal()));
  const s = new Float64Array(p * p); // rank 4: Σ v vᵀ
  for (const v of basis) for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) s[i * p + j] += v[i] * v[j];
  const { rank, solve } = pseudoInverse(s, p, 1e-10);
  assert.equal(rank, 4);
  const b = new Float64Array(p);
  basis.forEach((v, k) => v.forEach((x, i) => (b[i] += (k + 1) * x)));
  const x = solve(b);
  for (let i = 0; i < p; i++) {
    let sx = 0;
    for (let j = 0; j < p; j++) sx += s[i * p + j] * x[j];
    assert.ok(Math.abs(sx - b[i]) < 1e-8 * (1 + Math.abs(b[i])), `row ${i}: ${sx} vs ${b[i]}`);
  }
});
