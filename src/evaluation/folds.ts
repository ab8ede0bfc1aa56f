/**
 * Which rows of a dataset fit, stop early and score in each fold of a protocol. Every split goes
 * through the data layer's stratified splitters, seeded from the protocol's `splitSeed`, so all
 * configurations and all runs of a protocol see the same rows.
 */
import { stratifiedHoldout, stratifiedKFold, type Split } from '../data/index.ts';
import type { Column, Dataset } from '../data/table.ts';
import { deriveSeed } from '../random.ts';
import type { EvaluationProtocol } from './protocol.ts';

/** The rows of one fold (sorted row indices of the dataset; the three sets are disjoint). */
export interface FoldPlan {
  readonly index: number;
  /** Rows the model and the encoder are fitted on. */
  readonly fitRows: Int32Array;
  /** Rows early stopping watches. */
  readonly validRows: Int32Array;
  /** Rows the metrics are computed on. */
  readonly testRows: Int32Array;
}

/**
 * Plans the folds of a protocol on a dataset: outer split, training-part cap, early-stopping
 * split, scored-part cap (see {@link EvaluationProtocol}).
 * @param dataset - the task
 * @param protocol - the protocol
 * @returns one plan per fold (one for a holdout)
 * @throws InputError when the dataset has too few rows for the protocol
 */
export function planFolds(dataset: Dataset, protocol: EvaluationProtocol): FoldPlan[] {
  const target = dataset.target;
  const seed = protocol.splitSeed;
  const outer: Split[] = protocol.split.kind === 'holdout'
    ? [stratifiedHoldout(target, { testFraction: protocol.split.testFraction, seed: deriveSeed(seed, 'outer') })]
    : stratifiedKFold(target, { k: protocol.split.folds, seed: deriveSeed(seed, 'outer') });
  return outer.map((split, index) => {
    const training = capRows(target, split.train, protocol.maxTrainRows, deriveSeed(seed, 'train-cap', index));
    const inner = stratifiedHoldout(target, {
      rows: training,
      testFraction: protocol.validationFraction,
      seed: deriveSeed(seed, 'early-stopping', index),
    });
    const testRows = capRows(target, split.test, protocol.maxTestRows, deriveSeed(seed, 'test-cap', index));
    return { index, fitRows: inner.train, validRows: inner.test, testRows };
  });
}

/**
 * A stratified subsample of at most `cap` rows.
 * @param target - the target column (strata)
 * @param rows - the rows to subsample
 * @param cap - the most rows to keep
 * @param seed - seed of the subsample
 * @returns `rows` itself when it has at most `cap` rows, else `cap` of them (sorted)
 */
export function capRows(target: Column, rows: Int32Array, cap: number, seed: number): Int32Array {
  if (rows.length <= cap) return rows;
  return stratifiedHoldout(target, { rows, testFraction: cap / rows.length, seed }).test;
}
