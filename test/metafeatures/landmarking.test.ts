import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractMetaFeatures, LANDMARKING_FEATURES } from '../../src/metafeatures/index.ts';
import { canonicalOrder, stratifiedFolds, shuffledFolds, stratifiedSubsample } from '../../src/metafeatures/sampling.ts';
import { buildView } from '../../src/metafeatures/view.ts';
import { LinearDiscriminantAnalysis } from '../../src/metafeatures/learners/lda.ts';
import { DecisionTree, presortColumns } from '../../src/metafeatures/learners/tree.ts';
import { createLearnerContext } from '../../src/metafeatures/learners/learner.ts';
import type { DesignMatrix } from '../../src/metafeatures/design.ts';
import { Random } from '../../src/random.ts';
import { classification, nominal, numeric, regression } from './fixtures.ts';

function matrix(rows: readonly (readonly number[])[]): DesignMatrix {
  return { data: Float64Array.from(rows.flat()), nRows: rows.length, nCols: rows[0].length };
}

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

test('stratified folds follow scikit-learn’s StratifiedKFold(shuffle=False)', () => {
  // sklearn: StratifiedKFold(3).split(X, [0,0,0,1,1,1,1,1,1,1]) → test folds 0 1 2 0 0 0 1 1 2 2
  assert.deepEqual([...stratifiedFolds(Int32Array.from([0, 0, 0, 1, 1, 1, 1, 1, 1, 1]), 3)], [0, 1, 2, 0, 0, 0, 1, 1, 2, 2]);
  const shuffled = stratifiedFolds(Int32Array.from([0, 0, 0, 1, 1, 1, 1, 1, 1, 1]), 3, new Random(4));
  assert.deepEqual([0, 1, 2].map((f) => shuffled.filter((v) => v === f).length), [4, 3, 3]);
  assert.deepEqual([0, 1, 2].map((f) => shuffledFolds(10, 3, new Random(1)).filter((v) => v === f).length), [4, 3, 3]);
});

test('LDA handles a singular covariance (duplicated and constant columns) by rank truncation', () => {
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 40; i++) {
    const c = i % 2;
    const a = c * 3 + Math.sin(i);
    rows.push([a, a, 1, Math.cos(i)]); // column 1 duplicates column 0, column 2 is constant
    y.push(c);
  }
  const x = matrix(rows);
  const lda = new LinearDiscriminantAnalysis(createLearnerContext(x, 2, presortColumns));
  lda.fit(x, Int32Array.from(y), all(40));
  const predicted = lda.predict(x, all(40));
  assert.deepEqual([...predicted], y);
});

test('a full entropy tree fits XOR exactly; a stump cannot', () => {
  const x = matrix([[0, 0], [0, 1], [1, 0], [1, 1], [0, 0], [0, 1], [1, 0], [1, 1]]);
  const y = Int32Array.from([0, 1, 1, 0, 0, 1, 1, 0]);
  const sorted = presortColumns(x);
  const tree = new DecisionTree(2, sorted, { maxDepth: Infinity });
  tree.fit(x, y, all(8));
  assert.deepEqual([...tree.predict(x, all(8))], [...y]);
  const stump = new DecisionTree(2, sorted, { maxDepth: 1 });
  stump.fit(x, y, all(8));
  assert.ok(stump.predict(x, all(8)).filter((p, i) => p === y[i]).length < 8);
});

test('on a separable problem every informed learner is perfect, and a seed fixes the result', () => {
  const n = 60;
  const labels = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c'));
  const d = classification(
    [numeric('signal', labels.map((l, i) => ({ a: 0, b: 10, c: 20 })[l]! + (i % 7) / 7)), numeric('noise', labels.map((_, i) => Math.sin(i * 12.9898) * 5))],
    labels,
  );
  const v = extractMetaFeatures(d, { groups: ['landmarking'], seed: 3 });
  for (const name of ['Landmark1NN', 'LandmarkLDA', 'LandmarkNaiveBayes', 'LandmarkDecisionTree']) assert.equal(v.values[name], 1, name);
  assert.ok(v.values.LandmarkDecisionNodeLearner! > 0.6);
  assert.deepEqual(extractMetaFeatures(d, { groups: ['landmarking'], seed: 3 }), v);
  assert.deepEqual(Object.keys(v.values), [...LANDMARKING_FEATURES]);
  assert.match(v.missing.LandmarkLinearRegressionR2, /regression/);
});

test('regression landmarks: R² near 1 for a linear target, lower for a stump', () => {
  const xs = Array.from({ length: 80 }, (_, i) => i / 8);
  const d = regression([numeric('x', xs), numeric('z', xs.map((v) => Math.cos(v * 7)))], xs.map((v) => 2 * v + 1));
  const { values } = extractMetaFeatures(d, { groups: ['landmarking'] });
  assert.ok(values.LandmarkLinearRegressionR2! > 0.999999);
  assert.ok(values.Landmark1NNR2! > 0.95);
  assert.ok(values.LandmarkDecisionStumpR2! > 0.5 && values.LandmarkDecisionStumpR2! < 0.9);
  assert.equal(values.Landmark1NN, null);
});

test('the landmark cap subsamples with stratification and keeps every class', () => {
  const labels = Array.from({ length: 500 }, (_, i) => (i < 490 ? 'big' : 'rare'));
  const d = classification([numeric('x', labels.map((l, i) => (l === 'big' ? i % 50 : 100 + i))), nominal('c', labels.map((_, i) => (i % 2 ? 'u' : 'v')))], labels);
  const v = extractMetaFeatures(d, { groups: ['landmarking'], landmarkCap: 100 });
  for (const name of ['Landmark1NN', 'LandmarkLDA', 'LandmarkNaiveBayes', 'LandmarkDecisionTree']) {
    assert.ok(v.values[name] !== null && v.values[name]! >= 0.97, `${name} ${v.values[name]}`);
  }
});

test('the symmetric cross-validated 1-NN equals fitting 1-NN fold by fold', async () => {
  const { crossValidatedNearestNeighbor } = await import('../../src/metafeatures/learners/nearest-neighbor.ts');
  const { classificationLearners, foldAccuracies } = await import('../../src/metafeatures/landmarking.ts');
  const rng = new Random(11);
  const rows = Array.from({ length: 150 }, (_, i) => [Math.round(rng.normal() * 3) / 3, rng.normal(), (i % 5) / 5]);
  rows.push(...rows.slice(0, 20)); // exact duplicates make ties
  const x = matrix(rows);
  const y = Int32Array.from(rows, (r) => (r[0] + r[1] > 0 ? 1 : 0) + (r[2] > 0.5 ? 1 : 0));
  const folds = stratifiedFolds(y, 10, new Random(2));
  const context = createLearnerContext(x, 3, presortColumns);
  const generic = foldAccuracies(context, y, folds, classificationLearners(new Random(0)).Landmark1NN);
  assert.deepEqual(crossValidatedNearestNeighbor(x, y, folds), generic);
});

test('the stratified subsample handles more rows than a spread argument list can hold', () => {
  const n = 400_000;
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const classes = Int32Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0));
  const sample = stratifiedSubsample(rows, classes, 1000, new Random(2));
  assert.equal(sample.length, 1000);
  assert.equal(sample.filter((r) => classes[r] === 1).length, 100);
  assert.ok(sample.every((r, i) => i === 0 || r > sample[i - 1]), 'input order kept');
});

test('the canonical row order equals a stable lexicographic sort (missing first, -0 = 0, nominal codes, ties)', () => {
  const rng = new Random(21);
  for (const n of [7, 30, 400]) {
    const draw = () => [NaN, -0, 0, 1, -Infinity, rng.normal(), rng.int(3)][rng.int(7)];
    const x = numeric('x', Array.from({ length: n }, () => (rng.int(4) === 0 ? 1 : draw())));
    const z = numeric('z', Array.from({ length: n }, draw));
    const c = nominal('c', Array.from({ length: n }, () => [null, 'u', 'v'][rng.int(3)]));
    const d = classification([x, c, z], Array.from({ length: n }, () => ['a', 'b'][rng.int(2)]));
    const cell = (col: typeof x | typeof c, r: number) => (col.kind === 'numeric' ? col.values[r] : col.codes[r]);
    const compare = (a: number, b: number) => {
      for (const col of [...d.features, d.target]) {
        const [u, v] = [cell(col, a), cell(col, b)];
        if (u === v || (u !== u && v !== v)) continue;
        if (u !== u) return -1;
        if (v !== v) return 1;
        return u < v ? -1 : 1;
      }
      return a - b; // stable: equal rows keep their order
    };
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    assert.deepEqual([...canonicalOrder(buildView(d), rows)], [...rows].sort(compare), `n=${n}`);
  }
});
