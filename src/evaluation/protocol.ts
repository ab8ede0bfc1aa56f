/**
 * Evaluation protocols: named, versioned descriptions of how a configuration is scored on a
 * dataset (which rows train, which rows stop early, which rows are scored, which metric ranks).
 * Two scores are comparable exactly when their {@link protocolId}s are equal, so every stored
 * evaluation carries the id of the protocol that produced it.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.ts';
import type { ClassificationMetricName, RegressionMetricName } from './metrics.ts';
import { resolveEncoderOptions, type ResolvedEncoderOptions } from '../data/index.ts';

/** One stratified train/test split; `testFraction` of the rows are scored. */
export interface HoldoutSplit {
  readonly kind: 'holdout';
  readonly testFraction: number;
}

/** Stratified k-fold cross-validation; every row is scored once, metrics are averaged over folds. */
export interface KFoldSplit {
  readonly kind: 'kfold';
  readonly folds: number;
}

/**
 * How a configuration is scored. Rows flow as follows, each step stratified on the target
 * (classes for classification, quantile bins for regression) and seeded from `splitSeed`:
 *
 * 1. the outer split (`split`) sets the scored rows of each fold apart;
 * 2. the rest is capped at `maxTrainRows` rows by a stratified subsample;
 * 3. `validationFraction` of those become the early-stopping rows, the others the fitting rows;
 * 4. the scored rows are capped at `maxTestRows` by a stratified subsample.
 *
 * The encoder (imputation, scaling, one-hot) is fitted on the fitting rows only. Early stopping
 * never sees a scored row, so the scores are free of test leakage.
 *
 * Seed policy: all splits derive from `splitSeed`, which is part of the protocol, so every
 * configuration and every run sees the same rows; the run seed given to `evaluate` only drives
 * training randomness (initialisation, shuffling, dropout), derived per fold.
 */
export interface EvaluationProtocol {
  /** Short human name, e.g. `holdout-0.25`. */
  readonly name: string;
  /** Bumped whenever the protocol's meaning changes. */
  readonly version: number;
  readonly split: HoldoutSplit | KFoldSplit;
  /** Fraction of the training part held out for early stopping, in (0, 1). */
  readonly validationFraction: number;
  /** Cap on the rows of the training part (fitting + early-stopping rows). */
  readonly maxTrainRows: number;
  /** Cap on the scored rows of each fold. */
  readonly maxTestRows: number;
  /** Seed of every split and subsample. */
  readonly splitSeed: number;
  /** The metric that ranks configurations, per task; turned into higher-is-better scores. */
  readonly primaryMetric: {
    readonly classification: ClassificationMetricName;
    readonly regression: RegressionMetricName;
  };
  /**
   * Preprocessing, fitted on the fitting rows of each fold. Every option is spelled out (not
   * left to the data layer's defaults) so that the protocol id changes if a default ever does.
   */
  readonly encoder: ResolvedEncoderOptions;
}

/**
 * The protocol of the meta-database: a stratified 75/25 holdout, at most 4,000 training rows
 * (3,200 fitting + 800 early-stopping) and 10,000 scored rows. Chosen for 110 datasets of 10 to
 * 40,000 rows trained on two CPU cores: the cap bounds the cost of the largest datasets while
 * keeping thousands of rows to learn from, and a holdout costs one training run per
 * configuration where k-fold costs k.
 *
 * Primary metrics: balanced accuracy for classification (bounded, chance level 1/K whatever the
 * class balance, so imbalanced datasets do not reward the majority class; the metric
 * Auto-sklearn 2.0 builds its portfolios on) and R² for regression (scale-free, so datasets
 * compare). Every other metric is recorded too.
 *
 * Encoding: numeric features imputed with the median and standardised, categorical ones one-hot
 * (at most 32 columns each), a missing-value indicator per feature that has missing values, and a
 * standardised regression target (undone before scoring: regression metrics are on the original
 * scale).
 */
export const DEFAULT_PROTOCOL: EvaluationProtocol = Object.freeze({
  name: 'holdout-0.25',
  version: 1,
  split: Object.freeze({ kind: 'holdout', testFraction: 0.25 }),
  validationFraction: 0.2,
  maxTrainRows: 4000,
  maxTestRows: 10000,
  splitSeed: 0,
  primaryMetric: Object.freeze({ classification: 'balancedAccuracy', regression: 'r2' }),
  encoder: Object.freeze(resolveEncoderOptions({ standardize: true, missingIndicators: true, maxLevels: 32, minLevelCount: 1, standardizeTarget: true })),
});

/**
 * A protocol identical to `base` but scored by stratified k-fold cross-validation.
 * @param base - the protocol to derive from
 * @param folds - number of folds, an integer ≥ 2
 * @returns the k-fold protocol, named `kfold-<k>`
 * @throws InputError when `folds` is not an integer ≥ 2
 */
export function withFolds(base: EvaluationProtocol, folds: number): EvaluationProtocol {
  const protocol: EvaluationProtocol = { ...base, name: `kfold-${folds}`, split: { kind: 'kfold', folds } };
  validateProtocol(protocol);
  return protocol;
}

/**
 * Checks that a protocol's numbers make sense.
 * @param protocol - the protocol to check
 * @throws InputError naming the first bad field
 */
export function validateProtocol(protocol: EvaluationProtocol): void {
  const fail = (field: string, expected: string, value: unknown) => {
    throw new InputError(`evaluation protocol '${protocol.name}': ${field} must be ${expected}, got ${String(value)}`);
  };
  if (!/^[\w.-]+$/.test(protocol.name)) fail('name', 'letters, digits, ".", "_" or "-"', protocol.name);
  if (!Number.isInteger(protocol.version) || protocol.version < 1) fail('version', 'an integer ≥ 1', protocol.version);
  if (protocol.split.kind === 'holdout') {
    const f = protocol.split.testFraction;
    if (!(f > 0 && f < 1)) fail('split.testFraction', 'in (0, 1)', f);
  } else if (!Number.isInteger(protocol.split.folds) || protocol.split.folds < 2) {
    fail('split.folds', 'an integer ≥ 2', protocol.split.folds);
  }
  const v = protocol.validationFraction;
  if (!(v > 0 && v < 1)) fail('validationFraction', 'in (0, 1)', v);
  if (!Number.isInteger(protocol.maxTrainRows) || protocol.maxTrainRows < 4) fail('maxTrainRows', 'an integer ≥ 4', protocol.maxTrainRows);
  if (!Number.isInteger(protocol.maxTestRows) || protocol.maxTestRows < 1) fail('maxTestRows', 'an integer ≥ 1', protocol.maxTestRows);
  if (!Number.isInteger(protocol.splitSeed)) fail('splitSeed', 'an integer', protocol.splitSeed);
}

/**
 * A stable identifier of a protocol: `<name>@v<version>:<12 hex digits>`, the digits hashing the
 * protocol's canonical JSON (sorted keys). Equal ids mean equal protocols, whatever the key order
 * of the objects; any change of any field changes the id.
 * @param protocol - the protocol
 * @returns its identifier, e.g. `holdout-0.25@v1:3f2a...`
 */
export function protocolId(protocol: EvaluationProtocol): string {
  const digest = createHash('sha256').update(canonicalize(protocol)).digest('hex').slice(0, 12);
  return `${protocol.name}@v${protocol.version}:${digest}`;
}

/** JSON with object keys sorted at every depth; `undefined` members are dropped. */
function canonicalize(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
