import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROTOCOL, protocolId, validateProtocol, withFolds } from '../../src/evaluation/protocol.ts';
import type { EvaluationProtocol } from '../../src/evaluation/protocol.ts';
import { InputError } from '../../src/errors.ts';

test('the default protocol id is pinned: changing the protocol must bump it knowingly', () => {
  // If this fails, scores already in a store are no longer comparable with new ones:
  // bump DEFAULT_PROTOCOL.version and update the pinned id.
  assert.equal(protocolId(DEFAULT_PROTOCOL), PINNED_DEFAULT_ID);
});

test('protocol ids ignore key order and change with any field', () => {
  const reordered: EvaluationProtocol = {
    encoder: DEFAULT_PROTOCOL.encoder,
    primaryMetric: { regression: 'r2', classification: 'balancedAccuracy' },
    splitSeed: DEFAULT_PROTOCOL.splitSeed,
    maxTestRows: DEFAULT_PROTOCOL.maxTestRows,
    maxTrainRows: DEFAULT_PROTOCOL.maxTrainRows,
    validationFraction: DEFAULT_PROTOCOL.validationFraction,
    split: { testFraction: 0.25, kind: 'holdout' },
    version: DEFAULT_PROTOCOL.version,
    name: DEFAULT_PROTOCOL.name,
  };
  assert.equal(protocolId(reordered), protocolId(DEFAULT_PROTOCOL));
  const variants: EvaluationProtocol[] = [
    { ...DEFAULT_PROTOCOL, splitSeed: 1 },
    { ...DEFAULT_PROTOCOL, maxTrainRows: 4001 },
    { ...DEFAULT_PROTOCOL, split: { kind: 'holdout', testFraction: 0.3 } },
    { ...DEFAULT_PROTOCOL, primaryMetric: { classification: 'logLoss', regression: 'r2' } },
  ];
  const ids = new Set([protocolId(DEFAULT_PROTOCOL), ...variants.map(protocolId)]);
  assert.equal(ids.size, variants.length + 1);
  assert.match(protocolId(DEFAULT_PROTOCOL), /^holdout-0\.25@v1:[0-9a-f]{12}$/);
});

test('withFolds derives a named k-fold protocol and rejects bad k', () => {
  const kfold = withFolds(DEFAULT_PROTOCOL, 3);
  assert.equal(kfold.name, 'kfold-3');
  assert.deepEqual(kfold.split, { kind: 'kfold', folds: 3 });
  assert.equal(kfold.maxTrainRows, DEFAULT_PROTOCOL.maxTrainRows);
  assert.notEqual(protocolId(kfold), protocolId(DEFAULT_PROTOCOL));
  assert.throws(() => withFolds(DEFAULT_PROTOCOL, 1), InputError);
  assert.throws(() => withFolds(DEFAULT_PROTOCOL, 2.5), /split\.folds must be an integer/);
});

test('validateProtocol rejects fractions outside (0, 1)', () => {
  validateProtocol(DEFAULT_PROTOCOL);
  assert.throws(() => validateProtocol({ ...DEFAULT_PROTOCOL, validationFraction: 1 }), /validationFraction/);
  assert.throws(() => validateProtocol({ ...DEFAULT_PROTOCOL, split: { kind: 'holdout', testFraction: 0 } }), /testFraction/);
});

const PINNED_DEFAULT_ID = 'holdout-0.25@v1:719e21f56f8a';
