/**
 * symmetricEigen gives ml-matrix's symmetric EigenvalueDecomposition bit for bit: eigenvalues and
 * every eigenvector, on covariance-like, rank-deficient, diagonal, zero and 1 × 1 matrices.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { symmetricEigen } from '../../src/metafeatures/eigen.ts';
import { Random } from '../../src/random.ts';
import { simdKernels } from '../../src/metafeatures/simd-kernels.ts';

function covariance(rng: Random, rows: number, n: number): number[][] {
  const x = Array.from({ length: rows }, () => Array.from({ length: n }, () => rng.normal()));
  return Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => x.reduce((s, r) => s + r[a] * r[b], 0) / rows));
}

function assertSameAsMlMatrix(m: number[][], label: string): void {
  const n = m.length;
  const reference = new EigenvalueDecomposition(new Matrix(m), { assumeSymmetric: true });
  const ours = symmetricEigen(m);
  const values = reference.realEigenvalues;
  for (let i = 0; i < n; i++) assert.ok(Object.is(ours.values[i], values[i]), `${label}: value ${i} ${ours.values[i]} vs ${values[i]}`);
  for (let c = 0; c < n; c++) {
    const column = reference.eigenvectorMatrix.getColumn(c);
    for (let i = 0; i < n; i++) assert.ok(Object.is(ours.vectors[c * n + i], column[i]), `${label}: vector ${c}[${i}]`);
  }
}

test('symmetricEigen: the numbers of ml-matrix EigenvalueDecomposition (assumeSymmetric), bit for bit', () => {
  const rng = new Random(31);
  assertSameAsMlMatrix(covariance(rng, 200, 12), 'full rank 12');
  assertSameAsMlMatrix(covariance(rng, 5, 9), 'rank 5 of 9');
  assertSameAsMlMatrix(covariance(rng, 500, 40), 'full rank 40');
  assertSameAsMlMatrix([[2, 0, 0], [0, 1, 0], [0, 0, 3]], 'diagonal');
  assertSameAsMlMatrix([[0, 0], [0, 0]], 'zero');
  assertSameAsMlMatrix([[4]], '1 x 1');
  const tied = covariance(rng, 50, 6);
  for (const row of tied) row[2] = 0;
  tied[2] = tied[2].map(() => 0);
  assertSameAsMlMatrix(tied, 'a zero row and column');
});

test('the QL rotations in the rotate kernel (eigenvectors in the kernels\' memory) give the same decomposition bit for bit', () => {
  let state = 99;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  for (const n of [1, 2, 7, 30, 101]) {
    const a = Array.from({ length: n }, () => Array.from({ length: n }, next));
    const sym = a.map((row, i) => row.map((_, j) => a[i][j] + a[j][i]));
    const kernel = simdKernels(3 + n * n);
    assert.ok(kernel !== null, 'kernels available');
    const plain = symmetricEigen(sym);
    const inKernel = symmetricEigen(sym, { kernel, offset: 3 });
    assert.ok(plain.values.every((v, i) => Object.is(v, inKernel.values[i])), `n=${n}: eigenvalues`);
    assert.ok(plain.vectors.every((v, i) => Object.is(v, inKernel.vectors[i])), `n=${n}: eigenvectors`);
  }
});
