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
import { DecisionTree, TreeMemo, presortColumns, type SortedColumns } from './learners/tree.ts';
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
  const memo = new TreeMemo(); // the decision node is read off the full tree of the same fold
  return {
    Landmark1NN: () => new OneNearestNeighborClassifier(),
    LandmarkLDA: (c) => new LinearDiscriminantAnalysis(c),
    LandmarkNaiveBayes: (c) => new GaussianNaiveBayes(c.nClasses),
    LandmarkDecisionTree: (c) => new DecisionTree(c.nClasses, c.sorted(), { maxDepth: Infinity, memo }),
    LandmarkDecisionNodeLearner: (c) => new DecisionTree(c.nClasses, c.sorted(), { maxDepth: 1, memo }),
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
 * The cross-validation work of the landmarking group, prepared from the view: the encoded sample,
 * its targets and fold assignment. It holds no reference to the dataset, so it can be scored on
 * another thread ({@link scoreLandmarks}); its arrays own their buffers, which can be transferred.
 */
export interface LandmarkTask {
  readonly seed: number;
  /** The encoded sample (at most {@link LANDMARK_MAX_COLUMNS} columns). */
  readonly x: DesignMatrix;
  /** Test fold of each sample row. */
  readonly folds: Int32Array;
  /** Number of folds. */
  readonly k: number;
  /** Classification: class of each sample row; else null. */
  readonly classes: Int32Array | null;
  readonly nClasses: number;
  /** Regression: target of each sample row; else null. */
  readonly targets: Float64Array | null;
}

/**
 * Computes the landmarking group.
 * @param view - the prepared dataset
 * @param sink - receives every name of {@link LANDMARKING_FEATURES}
 * @param protocol - seed, row cap and folds
 */
export function extractLandmarking(view: DatasetView, sink: FeatureSink, protocol: LandmarkProtocol): void {
  const task = prepareLandmarks(view, sink, protocol);
  if (task !== null) scoreLandmarks(task, sink);
}

/**
 * The first, cheap part of {@link extractLandmarking}: canonical order, stratified subsample,
 * encoding and folds. Records in `sink` the names the task type does not define, and all names
 * when there is nothing to score.
 * @param allocate - provides the encoded sample's storage (for example on a SharedArrayBuffer); default a new array
 * @returns the task to score, or null when every name has been recorded
 */
export function prepareLandmarks(
  view: DatasetView, sink: FeatureSink, protocol: LandmarkProtocol, allocate?: (length: number) => Float64Array,
): LandmarkTask | null {
  const rows = stratifiedSubsample(canonicalOrder(view, view.labeled), view.classes, protocol.cap, new Random(deriveSeed(protocol.seed, 'landmark-sample')));
  const classification = view.classes !== null;
  sink.setAllMissing(classification ? REGRESSION_LANDMARKS : CLASSIFICATION_LANDMARKS, `defined for ${classification ? 'regression' : 'classification'} tasks only`);
  const names = classification ? CLASSIFICATION_LANDMARKS : REGRESSION_LANDMARKS;
  const encoded = encodeRows(view, rows, { allocate });
  const columnRng = new Random(deriveSeed(protocol.seed, 'landmark-columns'));
  const x = encoded.nCols > LANDMARK_MAX_COLUMNS ? selectMatrixColumns(encoded, sampleIndices(encoded.nCols, LANDMARK_MAX_COLUMNS, columnRng)) : encoded;
  const k = Math.min(protocol.folds, rows.length);
  if (k < 2) {
    sink.setAllMissing(names, 'cross-validation needs at least two rows with a target');
    return null;
  }
  if (x.nCols === 0) {
    sink.setAllMissing(names, 'no feature varies in the landmark sample');
    return null;
  }
  const rng = new Random(deriveSeed(protocol.seed, 'landmark-folds'));
  const base = { seed: protocol.seed, x, k, nClasses: view.nClasses };
  if (view.classes !== null) {
    const classes = view.classes;
    const y = Int32Array.from(rows, (r) => classes[r]);
    return { ...base, folds: stratifiedFolds(y, k, rng), classes: y, targets: null };
  }
  const target = view.targetValues;
  if (target === null) return null; // a view has classes or target values
  return { ...base, folds: shuffledFolds(rows.length, k, rng), classes: null, targets: Float64Array.from(rows, (r) => target[r]) };
}

/**
 * The second part of {@link extractLandmarking}: scores every landmark of the task's type.
 * @param task - from {@link prepareLandmarks}
 * @param sink - receives the names of the task's type
 */
export function scoreLandmarks(task: LandmarkTask, sink: FeatureSink, part: LandmarkPart = 'all'): void {
  if (task.classes !== null) scoreClassifiers(task.x, task.classes, task.nClasses, task.folds, task.seed, sink, part);
  else if (task.targets !== null) scoreRegressors(task.x, task.targets, task.folds, task.k, sink, part);
}

/**
 * Which landmarks one thread scores: all of them, or one of three parts that share no work —
 * `trees` (the full tree, the decision node read off it, the random node; the stump for
 * regression: all on the presorted columns), `nearest` (1-NN) and `linear` (LDA and naive Bayes;
 * linear regression). Each landmark's value does not depend on which others ran in the same
 * thread (the random node has its own random stream), so the parts together equal `all`.
 */
export type LandmarkPart = 'all' | (typeof LANDMARK_PARTS)[number];

/** The parts, most expensive first (on 10,000 × 100 classification: about 83, 50 and 33 ms). */
export const LANDMARK_PARTS = ['trees', 'nearest', 'linear'] as const;

const TREE_LANDMARKS: ReadonlySet<string> = new Set(['LandmarkDecisionTree', 'LandmarkDecisionNodeLearner', 'LandmarkRandomNodeLearner', 'LandmarkDecisionStumpR2']);
const NEAREST_LANDMARKS: ReadonlySet<string> = new Set(['Landmark1NN', 'Landmark1NNR2']);

/** @returns whether the landmark `name` belongs to `part` */
export function inLandmarkPart(name: string, part: LandmarkPart): boolean {
  if (part === 'all') return true;
  return part === (TREE_LANDMARKS.has(name) ? 'trees' : NEAREST_LANDMARKS.has(name) ? 'nearest' : 'linear');
}

function scoreClassifiers(x: DesignMatrix, y: Int32Array, nClasses: number, folds: Int32Array, seed: number, sink: FeatureSink, part: LandmarkPart): void {
  const learners = classificationLearners(new Random(deriveSeed(seed, 'random-node')));
  const context = createLearnerContext(x, nClasses, presortColumns);
  for (const name of CLASSIFICATION_LANDMARKS) {
    if (!inLandmarkPart(name, part)) continue;
    if (name === 'LandmarkLDA' && x.nCols > MAX_FACTORIZED_COLUMNS) {
      sink.setMissing(name, `the design matrix has ${x.nCols} columns, more than the ${MAX_FACTORIZED_COLUMNS} LDA is fitted on`);
      continue;
    }
    const symmetric = name === 'Landmark1NN' && !isMostlyZero(x);
    const acc = symmetric ? crossValidatedNearestNeighbor(x, y, folds) : foldAccuracies(context, y, folds, learners[name]);
    sink.set(name, acc.length > 0 ? acc.reduce((s, v) => s + v, 0) / acc.length : null, 'no fold could be scored');
  }
}

function scoreRegressors(x: DesignMatrix, y: Float64Array, folds: Int32Array, k: number, sink: FeatureSink, part: LandmarkPart): void {
  let orders: SortedColumns | null = null;
  const learners: Record<(typeof REGRESSION_LANDMARKS)[number], () => Regressor> = {
    LandmarkLinearRegressionR2: () => new LinearRegression(),
    Landmark1NNR2: () => new OneNearestNeighborRegressor(),
    LandmarkDecisionStumpR2: () => new DecisionStumpRegressor((orders ??= presortColumns(x))),
  };
  for (const name of REGRESSION_LANDMARKS) {
    if (!inLandmarkPart(name, part)) continue;
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
