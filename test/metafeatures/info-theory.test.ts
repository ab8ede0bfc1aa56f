import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractMetaFeatures } from '../../src/metafeatures/index.ts';
import { DiscretizeScratch, defaultBinCount, discretize, equalFrequencyCuts } from '../../src/metafeatures/discretize.ts';
import { classification, nominal, numeric, regression } from './fixtures.ts';
import { PairCounter } from '../../src/metafeatures/pair-counter.ts';
import { concentration, contingency } from '../../src/metafeatures/contingency.ts';

const close = (actual: number | null, expected: number, tol = 1e-12) =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= tol, `${actual} ≠ ${expected}`);

test('discretisation reproduces numpy percentile + digitize(right=True)', () => {
  // numpy: percentile(1..10, [33.3, 66.7]) = [4, 7]; digitize → 0 0 0 0 1 1 1 2 2 2
  const x = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  assert.deepEqual(equalFrequencyCuts(x.slice().sort(), 3).map((v) => Math.round(v * 1e9) / 1e9), [4, 7]);
  assert.deepEqual([...discretize(x, 3).codes], [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]);
  // 15 values → floor(15^(1/3)) = 2 bins, cut at the median 5; ties with the cut go to the lower bin
  const y = Float64Array.from([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]);
  assert.equal(defaultBinCount(15), 2);
  assert.deepEqual([...discretize(y, 2).codes], [0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1]);
  assert.equal(defaultBinCount(64), 3); // as numpy: int(64 ** (1/3)) = 3
  const withMissing = discretize(Float64Array.from([NaN, 1, 2]), 2);
  assert.equal(withMissing.codes[0], -1);
});

test('discretisation by partial selection equals the full-sort definition on large columns with ties', () => {
  let state = 12345; // small LCG, deterministic
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  // distinct > 0: that many integer levels; 0: uniform; −1: heavy tail plus one huge outlier (crowded buckets).
  for (const [n, nBins, distinct] of [[257, 6, 0], [5000, 17, 0], [20000, 27, 12], [3001, 14, 2], [9000, 20, -1]]) {
    const draw = (i: number) => (distinct > 0 ? Math.floor(next() * distinct) : distinct < 0 ? (i === 5 ? 1e300 : next() ** 8 * 1e9) : (next() - 0.5) * 1e3);
    const x = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : draw(i)));
    const present = x.filter((v) => !Number.isNaN(v)).sort();
    const cuts = equalFrequencyCuts(present, nBins);
    const expected = Array.from(x, (v) => (Number.isNaN(v) ? -1 : cuts.filter((c) => c < v).length));
    const got = discretize(x, nBins);
    assert.deepEqual([...got.codes], expected, `n=${n}`);
    assert.equal(got.nCodes, cuts.length + 1);
  }
});

test('bucket-coded discretisation equals counting the cuts below each value (ties at cuts, tiny and huge ranges, infinities, crowded buckets of one value)', () => {
  let state = 777;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const draws: ((i: number) => number)[] = [
    () => Math.floor(next() * 3), // every cut is a value: the strict "below" matters
    () => 1 + Math.floor(next() * 1000) * 1e-12, // a range of 1e-9 around 1
    (i) => (i % 500 === 0 ? Infinity : (next() - 0.5) * 1e-300),
    (i) => (i === 3 ? -1e308 : next() * 1e308),
    () => Math.round((next() - 0.5) * 200) / 8, // many repeated values spread over the buckets
    () => {
      const level = Math.floor(next() * 20);
      return level === 7 && next() < 0.3 ? level + 1e-9 : level; // crowded buckets, all of one value but one
    },
  ];
  const scratch = new DiscretizeScratch();
  for (const draw of draws) {
    for (const n of [70000, 300, 5000]) {
      const x = Float64Array.from({ length: n }, (_, i) => (i % 31 === 0 && n !== 5000 ? NaN : draw(i))); // n = 5000: no missing value
      const present = x.filter((v) => !Number.isNaN(v)).sort();
      for (const nBins of [defaultBinCount(present.length), 5]) {
        const cuts = equalFrequencyCuts(present, nBins);
        const before = x.slice();
        const got = discretize(x, nBins, scratch); // work arrays shared with the previous columns
        assert.ok(x.every((v, i) => Object.is(v, before[i])), 'the column is only read');
        assert.deepEqual([...got.codes], Array.from(x, (v) => (Number.isNaN(v) ? -1 : cuts.filter((c) => c < v).length)), `n=${n}, bins=${nBins}`);
      }
    }
  }
});

test('entropies, mutual information and derived ratios by hand on nominal attributes', () => {
  // a determines the class; b is independent of it.
  const d = classification(
    [nominal('a', ['u', 'u', 'v', 'v']), nominal('b', ['s', 't', 's', 't'])],
    ['p', 'p', 'q', 'q'],
  );
  const { values } = extractMetaFeatures(d, { groups: ['info-theory'] });
  close(values['attr_ent.mean'], 1);
  close(values['attr_ent.sd'], 0);
  close(values['joint_ent.mean'], (1 + 2) / 2); // H(a,y) = 1, H(b,y) = 2
  close(values['mut_inf.mean'], 0.5); // MI = 1 and 0
  close(values['mut_inf.sd'], Math.SQRT1_2);
  close(values.eq_num_attr, (2 * 1) / 1); // attributes · H(y) / ΣMI
  close(values.ns_ratio, (2 - 1) / 1); // (ΣH(x) − ΣMI) / ΣMI
  close(values['class_conc.mean'], 0.5); // concentration 1 for a, 0 for b
  close(values['attr_conc.mean'], 0); // a and b are independent
});

test('no informative attribute: eq_num_attr and ns_ratio are null with a reason', () => {
  const d = classification([nominal('b', ['s', 't', 's', 't'])], ['p', 'p', 'q', 'q']);
  const { values, missing } = extractMetaFeatures(d, { groups: ['info-theory'] });
  assert.equal(values.eq_num_attr, null);
  assert.match(missing.ns_ratio, /mutual information/);
});

test('regression: only attribute entropy and concentration are defined', () => {
  const d = regression([numeric('x', [1, 2, 3, 4, 5, 6, 7, 8]), nominal('c', ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'])], [1, 2, 3, 4, 5, 6, 7, 8]);
  const { values, missing } = extractMetaFeatures(d, { groups: ['info-theory'] });
  close(values['attr_ent.mean'], 1); // x: 2 equal-frequency bins; c: two equal levels
  assert.equal(values['mut_inf.mean'], null);
  assert.match(missing['mut_inf.mean'], /classification/);
  assert.ok(values['attr_conc.mean'] !== null);
});

test('attr_conc from the pair counter\'s counts equals the concentration of the contingency tables, bit for bit', () => {
  let state = 4242;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const n = 3000;
  const attributes = [5, 1, 17, 3, 9, 2].map((nCodes, j) => ({
    nCodes,
    codes: Int32Array.from({ length: n }, (_, i) => (i % (7 + j) === 0 ? -1 : Math.floor(next() ** (1 + j) * nCodes))),
  }));
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const created = PairCounter.create(attributes, rows);
  if (created === null) return assert.fail('the pair counter takes these attributes');
  const counter: PairCounter = created;
  for (let a = 0; a < attributes.length; a++) {
    for (let b = a + 1; b < attributes.length; b++) {
      const t = contingency(attributes[a].codes, attributes[a].nCodes, attributes[b].codes, attributes[b].nCodes, rows);
      const transposed = { rowOf: t.colOf, colOf: t.rowOf, count: t.count, rowSums: t.colSums, colSums: t.rowSums, total: t.total };
      const [ab, ba] = counter.concentrations(a, b);
      assert.ok(Object.is(ab, concentration(t)), `${a}→${b}: ${ab} vs ${concentration(t)}`);
      assert.ok(Object.is(ba, concentration(transposed)), `${b}→${a}: ${ba} vs ${concentration(transposed)}`);
    }
  }
});
