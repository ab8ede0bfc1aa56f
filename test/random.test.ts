import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random, deriveSeed } from '../src/random.ts';

test('equal seeds give equal streams, different seeds differ', () => {
  const a = new Random(42);
  const b = new Random(42);
  const c = new Random(43);
  const sa = Array.from({ length: 100 }, () => a.next());
  assert.deepEqual(sa, Array.from({ length: 100 }, () => b.next()));
  assert.notDeepEqual(sa, Array.from({ length: 100 }, () => c.next()));
});

test('uniform draws cover [0,1) evenly', () => {
  const r = new Random(1);
  const bins = new Array(10).fill(0);
  for (let i = 0; i < 100000; i++) bins[Math.floor(r.next() * 10)]++;
  for (const b of bins) assert.ok(Math.abs(b - 10000) < 500, `bin count ${b}`);
});

test('normal draws have mean 0 and variance 1', () => {
  const r = new Random(7);
  let s = 0;
  let s2 = 0;
  const n = 50000;
  for (let i = 0; i < n; i++) {
    const x = r.normal();
    s += x;
    s2 += x * x;
  }
  assert.ok(Math.abs(s / n) < 0.02);
  assert.ok(Math.abs(s2 / n - 1) < 0.03);
});

test('permutation is a permutation; deriveSeed separates labels', () => {
  const p = Array.from(new Random(3).permutation(50)).sort((x, y) => x - y);
  assert.deepEqual(p, Array.from({ length: 50 }, (_, i) => i));
  assert.notEqual(deriveSeed(1, 'a', 'b'), deriveSeed(1, 'ab'));
  assert.equal(deriveSeed(1, 'split', 'iris'), deriveSeed(1, 'split', 'iris'));
});

test('fillBelow draws the same numbers as nextUint32 and leaves the stream where that loop would', () => {
  for (const threshold of [0, 1, 2 ** 31, 0.7 * 2 ** 32, 2 ** 32]) {
    const a = new Random(1234);
    const b = new Random(1234);
    const fast = new Float32Array(1000).fill(-1);
    const slow = new Float32Array(1000).fill(-1);
    a.fillBelow(fast, 3, 997, threshold, 1.25);
    for (let i = 3; i < 997; i++) slow[i] = b.nextUint32() < threshold ? 1.25 : 0;
    assert.deepEqual(fast, slow);
    assert.equal(a.nextUint32(), b.nextUint32());
  }
});
