/**
 * pymfe's published test values (pymfe/tests/test_infotheo.py, test_statistical.py,
 * test_landmarking.py; dataset 1 = kr-vs-kp, dataset 2 = Iris) reproduced on the shared copies
 * of the same files. Landmarks are run under pymfe's protocol (raw features, scikit-learn's
 * unshuffled StratifiedKFold with 10 folds) to check the learners themselves; the extractor's own
 * protocol (standardised features, shuffled folds, subsample) is documented in the README.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/index.ts';
import type { Dataset } from '../../src/data/table.ts';
import { extractMetaFeatures } from '../../src/metafeatures/index.ts';
import { buildView } from '../../src/metafeatures/view.ts';
import { encodeRows } from '../../src/metafeatures/design.ts';
import { stratifiedFolds } from '../../src/metafeatures/sampling.ts';
import { classificationLearners, foldAccuracies } from '../../src/metafeatures/landmarking.ts';
import { createLearnerContext } from '../../src/metafeatures/learners/learner.ts';
import { presortColumns } from '../../src/metafeatures/learners/tree.ts';
import { summarize } from '../../src/metafeatures/moments.ts';
import { Random } from '../../src/random.ts';
import { DATASETS } from './fixtures.ts';

/** [our name, pymfe value, tolerance] */
type Expectation = readonly [string, number, number];

const IRIS: readonly Expectation[] = [
  ['ClassEntropy', 1.5849625, 1e-6],
  ['attr_ent.mean', 2.27901045, 1e-6], ['attr_ent.sd', 0.05742642, 1e-6],
  ['joint_ent.mean', 3.02198491, 1e-6], ['joint_ent.sd', 0.38738119, 1e-6],
  ['mut_inf.mean', 0.84198804, 1e-6], ['mut_inf.sd', 0.42518056, 1e-6],
  ['eq_num_attr', 1.88240501, 1e-6], ['ns_ratio', 1.70670169, 1e-6],
  ['class_conc.mean', 0.272326, 1e-6], ['class_conc.sd', 0.14258949, 1e-6],
  ['attr_conc.mean', 0.20922253, 1e-6], ['attr_conc.sd', 0.11995021, 1e-6],
  ['skewness.mean', 0.06603418, 1e-6], ['skewness.sd', 0.29886394, 1e-6],
  ['kurtosis.mean', -0.795374, 1e-6], ['kurtosis.sd', 0.75835782, 1e-6],
  ['cor.mean', 0.58981572, 1e-6], ['cor.sd', 0.34191469, 1e-6],
  ['NumberOfInstances', 150, 0], ['NumberOfFeatures', 4, 0], ['NumberOfClasses', 3, 0],
  ['DatasetRatio', 0.02666667, 1e-6], ['InverseDatasetRatio', 37.5, 0], ['ClassProbabilityMax', 0.33333333, 1e-6],
];

const KR_VS_KP: readonly Expectation[] = [
  ['ClassEntropy', 0.99857554, 1e-6],
  ['attr_ent.mean', 0.59014829, 1e-6], ['attr_ent.sd', 0.33852165, 1e-6],
  ['joint_ent.mean', 1.56957216, 1e-6], ['joint_ent.sd', 0.33197232, 1e-6],
  ['mut_inf.mean', 0.01915167, 1e-6], ['mut_inf.sd', 0.0391871, 1e-6],
  ['eq_num_attr', 52.1404017, 1e-6], ['ns_ratio', 29.81446298, 1e-6],
  ['class_conc.mean', 0.02313025, 1e-6], ['class_conc.sd', 0.044853, 1e-6],
  // all 36 attributes are used (≤ 40), as pymfe did before it sampled 12 attributes for attr_conc
  ['attr_conc.mean', 0.01682327, 1e-6], ['attr_conc.sd', 0.04715381, 1e-6],
  ['NumberOfInstances', 3196, 0], ['NumberOfFeatures', 36, 0], ['NumberOfClasses', 2, 0],
];

async function load(name: string): Promise<Dataset> {
  return loadDataset(join(DATASETS, 'classification', name));
}

function check(dataset: Dataset, expectations: readonly Expectation[]): void {
  const { values } = extractMetaFeatures(dataset, { groups: ['general', 'statistical', 'info-theory'] });
  for (const [name, expected, tol] of expectations) {
    const actual = values[name];
    assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) <= tol, `${name}: ${actual} vs pymfe ${expected}`);
  }
}

/** Mean and sd of the fold accuracies under pymfe's protocol. */
function pymfeProtocol(dataset: Dataset): Record<string, [number, number]> {
  const view = buildView(dataset);
  const x = encodeRows(view, view.labeled, { standardize: false, maxLevels: 1000 });
  const y = Int32Array.from(view.labeled, (r) => view.classes![r]);
  const folds = stratifiedFolds(y, 10);
  const context = createLearnerContext(x, view.nClasses, presortColumns);
  const out: Record<string, [number, number]> = {};
  for (const [name, make] of Object.entries(classificationLearners(new Random(1)))) {
    const s = summarize(foldAccuracies(context, y, folds, make));
    out[name] = [s.mean, s.sd];
  }
  return out;
}

test('Iris: pymfe’s general, statistical and info-theory values to 1e-6', async () => {
  check(await load('iris.arff.gz'), IRIS);
});

test('kr-vs-kp: pymfe’s info-theory values to 1e-6', async () => {
  check(await load('kr.vs.kp.arff.gz'), KR_VS_KP);
});

test('Iris landmarks under pymfe’s protocol: 1-NN, LDA, naive Bayes and nodes to 1e-6', async () => {
  const lm = pymfeProtocol(await load('iris.arff.gz'));
  const expected: Record<string, [number, number]> = {
    Landmark1NN: [0.96000004, 0.056218266],
    LandmarkLDA: [0.98, 0.044996567],
    LandmarkNaiveBayes: [0.9533334, 0.044996567],
    LandmarkDecisionNodeLearner: [0.6666666, 6.282881e-8],
    LandmarkRandomNodeLearner: [0.66666663, 6.2828811e-8],
  };
  for (const [name, [mean, sd]] of Object.entries(expected)) {
    assert.ok(Math.abs(lm[name][0] - mean) <= 1e-6, `${name} mean ${lm[name][0]} vs ${mean}`);
    assert.ok(Math.abs(lm[name][1] - sd) <= 1e-6, `${name} sd ${lm[name][1]} vs ${sd}`);
  }
});

test('kr-vs-kp landmarks under pymfe’s protocol: LDA to 1e-6, naive Bayes within 0.002', async () => {
  const lm = pymfeProtocol(await load('kr.vs.kp.arff.gz'));
  assert.ok(Math.abs(lm.LandmarkLDA[0] - 0.89012927) <= 1e-6, `LDA ${lm.LandmarkLDA[0]}`);
  assert.ok(Math.abs(lm.LandmarkLDA[1] - 0.07484206) <= 1e-6, `LDA sd ${lm.LandmarkLDA[1]}`);
  // pymfe dummy-codes nominal attributes (patsy), we one-hot them: Gaussian NB sees other columns.
  assert.ok(Math.abs(lm.LandmarkNaiveBayes[0] - 0.6117996) <= 0.002, `NB ${lm.LandmarkNaiveBayes[0]}`);
});
