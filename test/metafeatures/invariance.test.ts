import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractMetaFeatures } from '../../src/metafeatures/index.ts';
import type { Dataset } from '../../src/data/table.ts';
import { Random } from '../../src/random.ts';
import { classification, nominal, numeric, permuteRows, regression } from './fixtures.ts';

/** A mixed dataset with missing values, a duplicated row block and a skewed column. */
function mixed(): Dataset {
  const rng = new Random(5);
  const n = 240;
  const a = Array.from({ length: n }, (_, i) => (i % 17 === 0 ? null : rng.normal() + (i % 3)));
  const b = Array.from({ length: n }, () => Math.exp(rng.normal()));
  const c = Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : ['x', 'y', 'z', 'w'][rng.int(4)]));
  const labels = a.map((v, i) => ['p', 'q', 'r'][((v ?? 0) + b[i] > 2 ? 1 : 0) + (c[i] === 'x' ? 1 : 0)]);
  for (let i = 0; i < 20; i++) {
    a[n - 1 - i] = a[i];
    b[n - 1 - i] = b[i];
    c[n - 1 - i] = c[i];
    labels[n - 1 - i] = labels[i];
  }
  return classification([numeric('a', a), numeric('b', b), nominal('c', c)], labels);
}

function assertSame(x: Record<string, number | null>, y: Record<string, number | null>, tol: number): void {
  for (const name of Object.keys(x)) {
    const u = x[name];
    const v = y[name];
    if (u === null || v === null) assert.equal(u, v, name);
    else assert.ok(Math.abs(u - v) <= tol * Math.max(1, Math.abs(u)), `${name}: ${u} vs ${v}`);
  }
}

test('row order changes nothing (classification, all groups)', () => {
  const d = mixed();
  const order = Array.from(new Random(2).permutation(d.nRows));
  const before = extractMetaFeatures(d, { seed: 7 }).values;
  for (const name of ['Landmark1NN', 'LandmarkLDA', 'LandmarkDecisionTree', 'PCASkewnessFirstPC', 'mut_inf.mean']) assert.notEqual(before[name], null, name);
  assertSame(before, extractMetaFeatures(permuteRows(d, order), { seed: 7 }).values, 1e-9);
});

test('row order changes nothing (regression, all groups, subsampled landmarks)', () => {
  const rng = new Random(3);
  const x = Array.from({ length: 300 }, () => rng.normal());
  const d = regression([numeric('x', x), nominal('k', x.map((v) => (v > 0 ? 'pos' : 'neg')))], x.map((v) => v * v + rng.normal() * 0.1));
  const order = Array.from(new Random(8).permutation(d.nRows));
  assertSame(extractMetaFeatures(d, { landmarkCap: 100 }).values, extractMetaFeatures(permuteRows(d, order), { landmarkCap: 100 }).values, 1e-9);
});

test('scaling a numeric column changes no scale-free feature (all groups are scale-free)', () => {
  const d = mixed();
  const a = d.features[0];
  assert.equal(a.kind, 'numeric');
  if (a.kind !== 'numeric') return;
  const scaled: Dataset = { ...d, features: [{ ...a, values: a.values.map((v) => v * 1000) }, ...d.features.slice(1)] };
  assertSame(extractMetaFeatures(d, { seed: 7 }).values, extractMetaFeatures(scaled, { seed: 7 }).values, 1e-6);
});
