/** The tiled outer-product sums equal adding the rows' outer products one by one, bit for bit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addUpperGram, addUpperGramOfRows, symmetrize, toColumnMajor } from '../../src/metafeatures/learners/gram.ts';
import { useKernels } from '../../src/metafeatures/simd-kernels.ts';
import { addOuter } from '../../src/metafeatures/learners/learner.ts';
import { Random } from '../../src/random.ts';

function randomRows(n: number, p: number, rng: Random): Float64Array {
  const data = new Float64Array(n * p);
  // Mixed scales, exact zeros and repeated values, so rounding order matters.
  for (let i = 0; i < data.length; i++) data[i] = i % 4 === 0 ? 0 : i % 4 === 1 ? rng.int(3) : rng.normal() * 10 ** rng.int(6);
  return data;
}

test('addUpperGram sums each cell in row order, as addOuter row by row (every width 1..11)', () => {
  const rng = new Random(7);
  for (let p = 1; p <= 11; p++) {
    const n = 5 + 13 * p;
    const data = randomRows(n, p, rng);
    const expected = new Float64Array(p * p);
    for (let i = 0; i < n; i++) addOuter(expected, data, i * p, p, 1);
    symmetrize(expected, p);
    const actual = new Float64Array(p * p);
    const columns = toColumnMajor(data, n, p);
    addUpperGram(columns, columns, actual);
    symmetrize(actual, p);
    assert.ok(actual.every((v, i) => Object.is(v, expected[i])), `p = ${p}`);
  }
});

test('a negated left factor subtracts the outer products of chosen rows, as addOuter with sign −1', () => {
  const rng = new Random(8);
  const p = 9;
  const n = 60;
  const data = randomRows(n, p, rng);
  const start = Float64Array.from({ length: p * p }, () => rng.normal() * 100);
  const held = Int32Array.from([2, 3, 17, 30, 31, 59]);
  const expected = start.slice();
  for (const r of held) addOuter(expected, data, r * p, p, -1);
  const actual = start.slice();
  addUpperGram(toColumnMajor(data, n, p, held, true), toColumnMajor(data, n, p, held), actual);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) assert.ok(Object.is(actual[a * p + b], expected[a * p + b]), `cell ${a}, ${b}`);
  }
});

test('addUpperGramOfRows (SIMD kernel, and scalar) equals addOuter over the chosen rows, subtracting when negated', () => {
  const rng = new Random(9);
  for (const kernels of [true, false]) {
    useKernels(kernels);
    try {
      for (const p of [1, 3, 4, 9]) {
        const n = 41;
        const data = randomRows(n, p, rng);
        const start = Float64Array.from({ length: p * p }, () => rng.normal() * 50);
        const rows = Int32Array.from([0, 5, 6, 17, 40]);
        for (const negate of [false, true]) {
          const expected = start.slice();
          for (const r of rows) addOuter(expected, data, r * p, p, negate ? -1 : 1);
          const actual = start.slice();
          addUpperGramOfRows(data, n, p, actual, rows, negate);
          for (let a = 0; a < p; a++) {
            for (let b = 0; b < p; b++) {
              const want = b >= a ? expected[a * p + b] : start[a * p + b]; // the lower triangle is left as it was
              assert.ok(Object.is(actual[a * p + b], want), `kernels ${kernels} p=${p} negate ${negate} cell ${a}, ${b}`);
            }
          }
        }
      }
    } finally {
      useKernels(true);
    }
  }
});
