/**
 * The SIMD distance kernel computes exactly the scalar sums, and the cross-validated 1-NN pass
 * (kernel or scalar) predicts as fitting 1-NN fold by fold, ties to the earliest row included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simdKernels, type SimdKernels } from '../../src/metafeatures/simd-kernels.ts';
import { OneNearestNeighborClassifier, crossValidatedNearestNeighbor, nearestAcrossFolds } from '../../src/metafeatures/learners/nearest-neighbor.ts';
import { foldRows } from '../../src/metafeatures/sampling.ts';
import type { DesignMatrix } from '../../src/metafeatures/design.ts';
import { Random } from '../../src/random.ts';

/** The kernels with at least `doubles` of memory (the caller has checked that they exist). */
function kernels(doubles: number): SimdKernels {
  const k = simdKernels(doubles);
  assert.ok(k, 'kernels available');
  return k;
}

function randomMatrix(n: number, p: number, rng: Random, ties: boolean): DesignMatrix {
  // Mixed magnitudes (rounding order matters) or a few repeated levels (exact ties, duplicate rows).
  const data = Float64Array.from({ length: n * p }, (_, i) => (ties ? rng.int(3) : rng.normal() * 10 ** ((i % 5) - 2)));
  return { data, nRows: n, nCols: p };
}

test('the SIMD kernel sums each squared distance as the scalar loop does, bit for bit (two queries a call)', (t) => {
  if (simdKernels(1) === null) return t.skip('no WebAssembly SIMD here');
  const rng = new Random(3);
  for (const [n, p] of [[1, 1], [9, 3], [37, 5], [64, 17]]) {
    const x = randomMatrix(n, p, rng, false);
    const stride = Math.ceil(n / 8) * 8 + 8;
    const kernel = kernels(2 * p + p * stride + 2 * stride);
    const mem = kernel.memory;
    const [q0, q1, xt, out0, out1] = [0, p, 2 * p, 2 * p + p * stride, 2 * p + p * stride + stride];
    for (let j = 0; j < n; j++) for (let k = 0; k < p; k++) mem[xt + k * stride + j] = x.data[j * p + k];
    const scalar = (i: number, j: number) => {
      let d = 0;
      for (let k = 0; k < p; k++) {
        const diff = x.data[i * p + k] - x.data[j * p + k];
        d += diff * diff;
      }
      return d;
    };
    for (let i = 0; i < n; i++) {
      const other = n - 1 - i;
      for (let k = 0; k < p; k++) {
        mem[q0 + k] = x.data[i * p + k];
        mem[q1 + k] = x.data[other * p + k];
      }
      kernel.sqdist(8 * q0, 8 * q1, 8 * xt, stride, p, 0, n, 8 * out0, 8 * out1);
      for (let j = 0; j < n; j++) {
        assert.ok(Object.is(mem[out0 + j], scalar(i, j)), `n=${n} p=${p} pair ${i}, ${j}`);
        assert.ok(Object.is(mem[out1 + j], scalar(other, j)), `n=${n} p=${p} pair ${other}, ${j}`);
      }
    }
  }
});

test('cross-validated 1-NN in one pass equals 1-NN fitted fold by fold (with exact ties)', () => {
  const rng = new Random(4);
  for (const [n, p, ties] of [[50, 4, true], [120, 7, false], [200, 3, true], [33, 1, true]] as const) {
    const x = randomMatrix(n, p, rng, ties);
    const y = Int32Array.from({ length: n }, () => rng.int(3));
    const folds = Int32Array.from({ length: n }, (_, i) => i % 5);
    const expected: number[] = [];
    for (let f = 0; f < 5; f++) {
      const { train, test: held } = foldRows(folds, f);
      const model = new OneNearestNeighborClassifier();
      model.fit(x, y, train);
      const predicted = model.predict(x, held);
      expected.push(predicted.filter((c, i) => c === y[held[i]]).length / held.length);
    }
    assert.deepEqual(crossValidatedNearestNeighbor(x, y, folds), expected, `n=${n} p=${p}`);
    const scalar = nearestAcrossFolds(x, folds); // the path without the kernel
    const scalarAccuracy = [0, 1, 2, 3, 4].map((f) => {
      const held = [...folds.keys()].filter((i) => folds[i] === f);
      return held.filter((i) => y[scalar[i]] === y[i]).length / held.length;
    });
    assert.deepEqual(scalarAccuracy, expected, `scalar, n=${n} p=${p}`);
  }
});
