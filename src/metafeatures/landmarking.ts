/**
 * Landmarking meta-features: the cross-validated score of small, fast learners. Rows are put in
 * a canonical order, subsampled (stratified, seeded) to at most `landmarkCap` rows, encoded
 * ({@link encodeRows}: mean-imputed, standardised numeric columns and one-hot nominal ones) and
 * scored by k-fold cross-validation — stratified and shuffled for classification (mean accuracy
 * over folds), shuffled for regression (R² of the pooled out-of-fold predictions).
 */
import { Random, deriveSeed } from '../random.ts';
import type { FeatureSink } from './types.ts';
import type { DatasetView } from './view.ts';
import { MAX_FACTORIZED_COLUMNS, encodeRows, sampleIndices, selectMatrixColumns, type DesignMatrix } from './design.ts';
import { canonicalOrder, foldRows, shuffledFolds, stratifiedFolds, stratifiedSubsample } from './sampling.ts';
import { createLearnerContext, isMostlyZero, type Classifier, type LearnerContext, type Regressor } from './learners/learner.ts';
import { OneNearestNeighborClassifier, OneNearestNeighborRegressor, crossValidatedNearestNeighbor } from './learners/nearest-neighbor.ts';
import { LinearDiscriminantAnalysis } from './learners/lda.ts';
import { GaussianNaiveBayes } from './learners/naive-bayes.ts';
import { DecisionTree, presortColumns } from './learners/tree.ts';
import { DecisionStumpRegressor, LinearRegression } from './learners/regression.ts';

/** Names of the classification landmarks. */
export const CLASSIFICATION_LANDMARKS = [
  'Landmark1NN', 'LandmarkLDA', 'LandmarkNaiveBayes', 'LandmarkDecisionTree', 'LandmarkDecisionNodeLearner', 'LandmarkRandomNodeLearner',
] as const;
/** Names of the regression landmarks. */
export const REGRESSION_LANDMARKS = ['LandmarkLinearRegressionR2', 'Landmark1NNR2', 'LandmarkDecisionStumpR2'] as const;
/** Names of the landmarking group, in output order. */
export const LANDMARKING_FEATURES = [...CLASSIFICATION_LANDMARKS, ...REGRESSION_LANDMARKS] as const;

/** Default most rows the landmarks are cross-validated on. */
export const DEFAULT_LANDMARK_CAP = 2000;
/** Landmarks on wider design matrices use a seeded sample of this many columns (1-NN and trees grow with the width). */
export const LANDMARK_MAX_COLUMNS = 500;
/** Default number of folds. */
export const DEFAULT_FOLDS = 10;

/** How the landmarks are run. */
export interface LandmarkProtocol {
  readonly seed: number;
  readonly cap: number;
  readonly folds: number;
}

/** Makes a fresh classifier for one fold from the sample's shared context. */
export type ClassifierFactory = (context: LearnerContext) => Classifier;

/**
 * Builds the classification landmark learners.
 * @param rng - draws the random node's feature
 */
export function classificationLearners(rng: Random): Record<(typeof CLASSIFICATION_LANDMARKS)[number], ClassifierFactory> {
  let randomFeature = -1;
  return {
    Landmark1NN: () => new OneNearestNeighborClassifier(),
    LandmarkLDA: (c) => new LinearDiscriminantAnalysis(c),
    LandmarkNaiveBayes: (c) => new GaussianNaiveBayes(c.nClasses),
    LandmarkDecisionTree: (c) => new DecisionTree(c.nClasses, c.sorted(), { maxDepth: Infinity }),
    LandmarkDecisionNodeLearner: (c) => new DecisionTree(c.nClasses, c.sorted(), { maxDepth: 1 }),
    LandmarkRandomNodeLearner: (c) => {
      if (randomFeature < 0) randomFeature = rng.int(c.x.nCols);
      return new DecisionTree(c.nClasses, c.sorted(), { maxDepth: 1, features: [randomFeature] });
    },
  };
}

/**
 * Cross-validated accuracy of one learner.
 * @param context - the sample's design matrix and shared precomputations
 * @param y - class of each sample row
 * @param folds - test fold of each sample row
 * @returns the accuracy on each fold
 */
export function foldAccuracies(context: LearnerContext, y: Int32Array, folds: Int32Array, make: ClassifierFactory): number[] {
  const x = context.x;
  const k = folds.reduce((m, f) => Math.max(m, f), 0) + 1; // no spread: folds may be long
  const out: number[] = [];
  for (let f = 0; f < k; f++) {
    const { train, test } = foldRows(folds, f);
    if (test.length === 0 || train.length === 0) continue;
    const model = make(context);
    model.fit(x, y, train);
    const predicted = model.predict(x, test);
    let correct = 0;
    for (let i = 0; i < test.length; i++) if (predicted[i] === y[test[i]]) correct++;
    out.push(correct / test.length);
  }
  return out;
}

/**
 * Computes the landmarking group.
 * @param view - the prepared dataset
 * @param sink - receives every name of {@link LANDMARKING_FEATURES}
 * @param protocol - seed, row cap and folds
 */
export function extractLandmarking(view: DatasetView, sink: FeatureSink, protocol: LandmarkProtocol): void {
  const rows = stratifiedSubsample(canonicalOrder(view, view.labeled), view.classes, protocol.cap, new Random(deriveSeed(protocol.seed, 'landmark-sample')));
  const classification = view.classes !== null;
  sink.setAllMissing(classification ? REGRESSION_LANDMARKS : CLASSIFICATION_LANDMARKS, `defined for ${classification ? 'regression' : 'classification'} tasks only`);
  const names = classification ? CLASSIFICATION_LANDMARKS : REGRESSION_LANDMARKS;
  const encoded = encodeRows(view, rows);
  const columnRng = new Random(deriveSeed(protocol.seed, 'landmark-columns'));
  const x = encoded.nCols > LANDMARK_MAX_COLUMNS ? selectMatrixColumns(encoded, sampleIndices(encoded.nCols, LANDMARK_MAX_COLUMNS, columnRng)) : encoded;
  const k = Math.min(protocol.folds, rows.length);
  if (k < 2) return sink.setAllMissing(names, 'cross-validation needs at least two rows with a target');
  if (x.nCols === 0) return sink.setAllMissing(names, 'no feature varies in the landmark sample');
  const rng = new Random(deriveSeed(protocol.seed, 'landmark-folds'));
  if (view.classes !== null) {
    const classes = view.classes;
    const y = Int32Array.from(rows, (r) => classes[r]);
    scoreClassifiers(x, y, view.nClasses, stratifiedFolds(y, k, rng), protocol.seed, sink);
  } else if (view.targetValues !== null) {
    const target = view.targetValues;
    const y = Float64Array.from(rows, (r) => target[r]);
    scoreRegressors(x, y, shuffledFolds(rows.length, k, rng), k, sink);
  }
}

function scoreClassifiers(x: DesignMatrix, y: Int32Array, nClasses: number, folds: Int32Array, seed: number, sink: FeatureSink): void {
  const learners = classificationLearners(new Random(deriveSeed(seed, 'random-node')));
  const context = createLearnerContext(x, nClasses, presortColumns);
  for (const name of CLASSIFICATION_LANDMARKS) {
    if (name === 'LandmarkLDA' && x.nCols > MAX_FACTORIZED_COLUMNS) {
      sink.setMissing(name, `the design matrix has ${x.nCols} columns, more than the ${MAX_FACTORIZED_COLUMNS} LDA is fitted on`);
      continue;
    }
    const symmetric = name === 'Landmark1NN' && !isMostlyZero(x);
    const acc = symmetric ? crossValidatedNearestNeighbor(x, y, folds) : foldAccuracies(context, y, folds, learners[name]);
    sink.set(name, acc.length > 0 ? acc.reduce((s, v) => s + v, 0) / acc.length : null, 'no fold could be scored');
  }
}

function scoreRegressors(x: DesignMatrix, y: Float64Array, folds: Int32Array, k: number, sink: FeatureSink): void {
  const orders = presortColumns(x);
  const learners: Record<(typeof REGRESSION_LANDMARKS)[number], () => Regressor> = {
    LandmarkLinearRegressionR2: () => new LinearRegression(),
    Landmark1NNR2: () => new OneNearestNeighborRegressor(),
    LandmarkDecisionStumpR2: () => new DecisionStumpRegressor(orders),
  };
  for (const name of REGRESSION_LANDMARKS) {
    if (name === 'LandmarkLinearRegressionR2' && x.nCols > MAX_FACTORIZED_COLUMNS) {
      sink.setMissing(name, `the design matrix has ${x.nCols} columns, more than the ${MAX_FACTORIZED_COLUMNS} least squares is fitted on`);
      continue;
    }
    sink.set(name, outOfFoldR2(x, y, folds, k, learners[name]), 'the target is constant in the sample');
  }
}

/** R² = 1 − SSE/SST of the pooled out-of-fold predictions; NaN when the target is constant. */
export function outOfFoldR2(x: DesignMatrix, y: Float64Array, folds: Int32Array, k: number, make: () => Regressor): number {
  const predicted = new Float64Array(y.length);
  for (let f = 0; f < k; f++) {
    const { train, test } = foldRows(folds, f);
    if (test.length === 0 || train.length === 0) continue;
    const model = make();
    model.fit(x, y, train);
    const out = model.predict(x, test);
    test.forEach((r, i) => (predicted[r] = out[i]));
  }
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  let sse = 0;
  let sst = 0;
  for (let i = 0; i < y.length; i++) {
    sse += (y[i] - predicted[i]) ** 2;
    sst += (y[i] - mean) ** 2;
  }
  return sst > 1e-12 * Math.max(1, mean * mean) * y.length ? 1 - sse / sst : NaN;
}
