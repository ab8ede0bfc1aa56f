import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../src/random.ts';
import { JOE_KUO_ROWS } from '../../src/spaces/design/joe-kuo.ts';
import { latinHypercube } from '../../src/spaces/design/latin-hypercube.ts';
import { SOBOL_MAX_DIMENSION, SobolSequence } from '../../src/spaces/design/sobol.ts';
import { centeredL2Discrepancy } from './discrepancy.ts';

function take(seq: SobolSequence, n: number): Float64Array[] {
  return Array.from({ length: n }, () => seq.next());
}

test('the unscrambled sequence matches reference values (scipy.stats.qmc.Sobol, scramble=False)', () => {
  const points = take(new SobolSequence(53), 1024);
  const first = points.slice(0, 8).map((p) => Array.from(p.slice(0, 3)));
  assert.deepEqual(first, [
    [0, 0, 0], [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75],
    [0.375, 0.375, 0.625], [0.875, 0.875, 0.125], [0.625, 0.125, 0.875], [0.125, 0.625, 0.375],
  ]);
  const p = points[1000];
  assert.deepEqual([p[0], p[9], p[20], p[31], p[40], p[52]], [0.2197265625, 0.0693359375, 0.5224609375, 0.1455078125, 0.9130859375, 0.7529296875]);
  assert.equal(points[777][52], 0.6162109375);
  assert.equal(points[1023][52], 0.6591796875);
});

/** Multiplies polynomials over GF(2) modulo `modulus` (bit i = coefficient of x^i). */
function mulMod(a: number, b: number, modulus: number, degree: number): number {
  let result = 0;
  for (let x = a; b > 0; b >>= 1) {
    if (b & 1) result ^= x;
    x <<= 1;
    if (x & (1 << degree)) x ^= modulus;
  }
  return result;
}

test('every direction row uses a primitive polynomial and odd initial numbers m_k < 2^k', () => {
  assert.equal(SOBOL_MAX_DIMENSION, 53);
  const seen = new Set<string>();
  for (const { s, a, m } of JOE_KUO_ROWS) {
    assert.equal(m.length, s);
    m.forEach((mk, k) => assert.ok(mk % 2 === 1 && mk < 2 ** (k + 1), `m_${k + 1} = ${mk}`));
    const modulus = (1 << s) | (a << 1) | 1;
    const order = 2 ** s - 1;
    let power = 1;
    for (let e = 1; e <= order; e++) {
      power = mulMod(power, 2, modulus, s);
      if (power === 1) assert.equal(e, order, `x has order ${e} < ${order} modulo polynomial (s=${s}, a=${a})`);
    }
    assert.equal(power, 1);
    assert.ok(!seen.has(`${s},${a}`), 'each polynomial once');
    seen.add(`${s},${a}`);
  }
});

test('scrambled points keep the net property: 2^m points fill every 1-D slice once', () => {
  for (const seed of [1, 2, 3]) {
    const points = take(new SobolSequence(20, seed), 256);
    for (let d = 0; d < 20; d++) {
      const slices = new Set(points.map((p) => Math.floor(p[d] * 256)));
      assert.equal(slices.size, 256, `seed ${seed}, dimension ${d}`);
    }
  }
});

test('scrambling is deterministic in the seed and differs across seeds', () => {
  const a = take(new SobolSequence(5, 7), 16).map((p) => Array.from(p));
  assert.deepEqual(take(new SobolSequence(5, 7), 16).map((p) => Array.from(p)), a);
  assert.notDeepEqual(take(new SobolSequence(5, 8), 16).map((p) => Array.from(p)), a);
  assert.notDeepEqual(a[0], [0, 0, 0, 0, 0]);
});

test('a Latin hypercube puts one point in each slice of every axis and is deterministic', () => {
  const points = latinHypercube(50, 6, 11);
  for (let d = 0; d < 6; d++) assert.equal(new Set(points.map((p) => Math.floor(p[d] * 50))).size, 50);
  assert.deepEqual(latinHypercube(50, 6, 11), points);
  assert.notDeepEqual(latinHypercube(50, 6, 12), points);
});

test('Sobol and LHS have lower discrepancy than independent uniform points', () => {
  const n = 128;
  const d = 8;
  let random = 0;
  let sobol = 0;
  let lhs = 0;
  const seeds = [1, 2, 3, 4, 5];
  for (const seed of seeds) {
    const rng = new Random(seed);
    random += centeredL2Discrepancy(Array.from({ length: n }, () => Float64Array.from({ length: d }, () => rng.next())));
    sobol += centeredL2Discrepancy(take(new SobolSequence(d, seed), n));
    lhs += centeredL2Discrepancy(latinHypercube(n, d, seed));
  }
  assert.ok(sobol < 0.5 * random, `Sobol ${sobol / seeds.length} vs random ${random / seeds.length}`);
  assert.ok(lhs < random, `LHS ${lhs / seeds.length} vs random ${random / seeds.length}`);
});

test('dimensions out of range are refused', () => {
  assert.throws(() => new SobolSequence(0), RangeError);
  assert.throws(() => new SobolSequence(54), RangeError);
});
