/** The SIMD dot-product kernel sums the four lanes exactly as the scalar code of correlation.ts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simdKernels, useKernels, type SimdKernels } from '../../src/metafeatures/simd-kernels.ts';
import { classStatistics, type ClassStatistics } from '../../src/metafeatures/learners/naive-bayes.ts';
import { absolutePairCorrelations } from '../../src/metafeatures/correlation.ts';
import { moments } from '../../src/metafeatures/moments.ts';
import { Random } from '../../src/random.ts';
import { extractMetaFeatures } from '../../src/metafeatures/index.ts';
import { classification, numeric } from './fixtures.ts';

/** Lane r: Σ x[i]·y[i] over i ≡ r (mod 4), i < n4, in order. */
function lanes(x: Float64Array, y: Float64Array, n4: number): number[] {
  const out = [0, 0, 0, 0];
  for (let i = 0; i < n4; i++) out[i % 4] += x[i] * y[i];
  return out;
}

/** The kernels with at least `doubles` of memory (the caller has checked that they exist). */
function kernels(doubles: number): SimdKernels {
  const k = simdKernels(doubles);
  assert.ok(k, 'kernels available');
  return k;
}

test('dots2 gives the four lanes of x·y and x·z bit for bit', (t) => {
  if (simdKernels(1) === null) return t.skip('no WebAssembly SIMD here');
  const rng = new Random(5);
  for (const n of [0, 4, 12, 1000]) {
    const kernel = kernels(3 * n + 8);
    const mem: Float64Array = kernel.memory;
    for (let i = 0; i < 3 * n; i++) mem[i] = rng.normal() * 10 ** rng.int(8);
    const [x, y, z] = [0, 1, 2].map((c): Float64Array => mem.slice(c * n, (c + 1) * n));
    kernel.dots2(0, 8 * n, 16 * n, 8 * n, 24 * n);
    const got = Array.from(mem.subarray(3 * n, 3 * n + 8));
    assert.deepEqual(got, [...lanes(x, y, n), ...lanes(x, z, n)], `n=${n}`);
  }
});

test('pair correlations: three or more complete columns (kernel) agree with pairs computed alone', () => {
  const rng = new Random(6);
  const n = 203; // not a multiple of four: the tail goes to lane 0
  const columns = Array.from({ length: 5 }, (_, j) => Float64Array.from({ length: n }, () => rng.normal() * (j + 1) + j));
  const all = absolutePairCorrelations(columns);
  const expected: number[] = [];
  for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) expected.push(...absolutePairCorrelations([columns[a], columns[b]]));
  assert.deepEqual(all, expected);
});

test('cov8 adds a block of eight rows to every upper cell as pca.ts’s expression, bit for bit', (t) => {
  if (simdKernels(1) === null) return t.skip('no WebAssembly SIMD here');
  const rng = new Random(7);
  for (const pp of [2, 4, 6, 10]) {
    const kernel = kernels(8 * pp + pp * pp);
    const mem: Float64Array = kernel.memory;
    const acc = 8 * pp;
    for (let i = 0; i < pp * pp; i++) mem[acc + i] = rng.normal() * 1e3;
    const expected = mem.slice(acc, acc + pp * pp);
    for (let block = 0; block < 2; block++) {
      for (let i = 0; i < 8 * pp; i++) mem[i] = i % 7 === 0 ? 0 : rng.normal() * 10 ** rng.int(6);
      const r = Array.from({ length: 8 }, (_, q) => mem.slice(q * pp, (q + 1) * pp));
      for (let a = 0; a < pp; a++) {
        for (let b = a; b < pp; b++) {
          const x = r.map((row) => row[a]);
          const w = r.map((row) => row[b]);
          expected[a * pp + b] = expected[a * pp + b] + (x[0] * w[0] + x[1] * w[1] + x[2] * w[2] + x[3] * w[3]) + (x[4] * w[4] + x[5] * w[5] + x[6] * w[6] + x[7] * w[7]);
        }
      }
      kernel.cov8(0, 8 * acc, pp);
    }
    for (let a = 0; a < pp; a++) {
      for (let b = a; b < pp; b++) assert.ok(Object.is(mem[acc + a * pp + b], expected[a * pp + b]), `pp=${pp} cell ${a}, ${b}`);
    }
  }
});

test('count2 counts the cells s + y0[k] and s + y1[k] of two tables', (t) => {
  const kernel = simdKernels(200 + 1001);
  if (kernel === null) return t.skip('no WebAssembly SIMD here');
  const rng = new Random(8);
  const n = 1001;
  const stride = 7;
  const buffer = kernel.memory.buffer;
  const [t0, t1] = [new Int32Array(buffer, 0, stride * stride), new Int32Array(buffer, 4 * stride * stride, stride * stride)];
  const x = new Uint16Array(buffer, 8 * stride * stride, n);
  const [y0, y1] = [new Uint8Array(buffer, 8 * stride * stride + 2 * n, n), new Uint8Array(buffer, 8 * stride * stride + 3 * n, n)];
  const expected = [new Int32Array(stride * stride), new Int32Array(stride * stride)];
  for (let k = 0; k < n; k++) {
    x[k] = rng.int(stride) * stride;
    y0[k] = rng.int(stride);
    y1[k] = k % 3;
    expected[0][x[k] + y0[k]]++;
    expected[1][x[k] + y1[k]]++;
  }
  kernel.count2(x.byteOffset, y0.byteOffset, y1.byteOffset, n, t0.byteOffset, t1.byteOffset);
  assert.deepEqual([t0, t1], expected);
});

test('a later request gets the memory cleared, however the earlier caller left it', (t) => {
  if (simdKernels(1) === null) return t.skip('no WebAssembly SIMD here');
  kernels(5000).memory.fill(7, 0, 5000);
  const again = kernels(6000).memory;
  assert.ok(again.subarray(0, 6000).every((v) => v === 0));
  assert.equal(simdKernels(40 * 1024 * 1024), null, 'above the 256 MiB limit: the scalar loops run');
});

test('pair correlations from shared moments equal those computed from scratch (missing and infinite values too)', () => {
  const rng = new Random(9);
  const n = 101;
  const columns = [
    Float64Array.from({ length: n }, () => rng.normal()),
    Float64Array.from({ length: n }, (_, i) => (i % 10 === 0 ? NaN : rng.normal() * 3)),
    Float64Array.from({ length: n }, (_, i) => (i === 4 ? Infinity : rng.normal())),
    Float64Array.from({ length: n }, () => 2.5),
    Float64Array.from({ length: n }, () => rng.normal() * 1e6 + 1e9),
  ];
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  assert.ok(same(absolutePairCorrelations(columns, columns.map((c) => moments(c))), absolutePairCorrelations(columns)));
});

test('naive Bayes statistics: the classSums/classSquares kernels give the scalar sums bit for bit (odd and even widths)', () => {
  const rng = new Random(10);
  for (const p of [1, 6, 7]) {
    const n = 90;
    const x = { data: Float64Array.from({ length: n * p }, (_, i) => (i % 5 === 0 ? rng.int(3) : rng.normal() * 10 ** rng.int(5))), nRows: n, nCols: p };
    const rows = Int32Array.from({ length: 70 }, (_, k) => (k * 7) % n);
    const cls = Int32Array.from(rows, (r) => r % 3);
    const counts = [0, 1, 2].map((c) => cls.filter((v) => v === c).length);
    const withKernels = classStatistics(x, rows, cls, counts);
    useKernels(false);
    let scalar: ClassStatistics;
    try {
      scalar = classStatistics(x, rows, cls, counts);
    } finally {
      useKernels(true);
    }
    const same = (a: Float64Array[], b: Float64Array[]) => a.every((v, i) => v.every((w, j) => Object.is(w, b[i][j])));
    assert.ok(same(withKernels.means, scalar.means) && same(withKernels.squares, scalar.squares), `p=${p}`);
    assert.ok(Object.is(withKernels.maxVariance, scalar.maxVariance), `p=${p}`);
  }
});

test('PCA with the kernels (column sums by classSums, centring by subRows, cov8) equals the scalar path bit for bit (odd and even widths, partial last blocks)', async () => {
  const rng = new Random(12);
  for (const [n, p] of [[37, 7], [83, 6], [8, 1], [250, 11]]) {
    const columns = Array.from({ length: p }, (_, j) => numeric(`x${j}`, Array.from({ length: n }, (_, i) => (i % 9 === j ? NaN : rng.normal() * 10 ** (j % 4) + (j % 3 === 0 ? rng.int(5) : 0)))));
    const dataset = classification(columns, Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : 'b')));
    const withKernels = extractMetaFeatures(dataset, { groups: ['pca'] });
    useKernels(false);
    let scalar: typeof withKernels;
    try {
      scalar = extractMetaFeatures(dataset, { groups: ['pca'] });
    } finally {
      useKernels(true);
    }
    for (const name of Object.keys(scalar.values)) assert.ok(Object.is(withKernels.values[name], scalar.values[name]), `n=${n} p=${p} ${name}: ${withKernels.values[name]} vs ${scalar.values[name]}`);
  }
});
