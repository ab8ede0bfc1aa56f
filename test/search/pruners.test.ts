/** Successive halving on synthetic learning curves, and the pruner that never prunes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StudyError } from '../../src/search/errors.ts';
import { createStudy } from '../../src/search/open-study.ts';
import { NopPruner } from '../../src/search/pruners/none.ts';
import type { Pruner } from '../../src/search/pruners/pruner.ts';
import { isPromotable, SuccessiveHalvingPruner } from '../../src/search/pruners/successive-halving.ts';
import type { Study } from '../../src/search/study.ts';
import type { StudyDirection } from '../../src/search/types.ts';
import { mlp } from './helpers.ts';

/**
 * Runs one trial per curve, one after another, reporting epochs 1..length and stopping when the
 * pruner says so.
 * @returns per trial, the epoch it was pruned at, or 'complete'
 */
function runCurves(pruner: Pruner, direction: StudyDirection, curves: readonly (readonly number[])[]): (number | 'complete')[] {
  const study = createStudy({ space: mlp, direction, pruner, seed: 1 });
  return curves.map((curve) => runCurve(study, curve));
}

function runCurve(study: Study, curve: readonly number[]): number | 'complete' {
  const trial = study.ask();
  for (let epoch = 1; epoch <= curve.length; epoch++) {
    trial.report(epoch, curve[epoch - 1]);
    if (trial.shouldPrune()) {
      study.tell(trial, { state: 'pruned' });
      return epoch;
    }
  }
  study.tell(trial, { value: curve[curve.length - 1] });
  return 'complete';
}

const flat = (value: number, epochs = 9) => Array.from({ length: epochs }, () => value);

test('SH (η=3, rungs at epochs 1, 3, 9): each rung keeps the top third, early arrivals only if best', () => {
  const values = [5, 3, 8, 1, 9, 2, 8.5, 4, 6];
  const expected = ['complete', 1, 'complete', 1, 'complete', 1, 3, 1, 1];
  assert.deepEqual(runCurves(new SuccessiveHalvingPruner(), 'maximize', values.map((v) => flat(v))), expected);
  assert.deepEqual(runCurves(new SuccessiveHalvingPruner(), 'minimize', values.map((v) => flat(-v))), expected);
});

test('SH keeps every trial that is the best so far, prunes every one that is worse than the first', () => {
  const rising = Array.from({ length: 6 }, (_, i) => flat(i));
  assert.deepEqual(runCurves(new SuccessiveHalvingPruner(), 'maximize', rising), Array(6).fill('complete'));
  assert.deepEqual(runCurves(new SuccessiveHalvingPruner(), 'minimize', rising), ['complete', 1, 1, 1, 1, 1]);
});

test('SH judges a rung by the value at the first epoch reported at or beyond it', () => {
  const pruner = new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 2 });
  assert.deepEqual([0, 1, 2, 3].map((k) => pruner.rungStep(k)), [2, 4, 8, 16]);
  const early = [0.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9];
  const late = [0.5, 0.5, 0.5, 0.5, 0.95, 0.95, 0.95, 0.95];
  // late starts worse than early at epoch 2 and is pruned there, before its curve rises
  assert.deepEqual(runCurves(pruner, 'maximize', [early, late]), ['complete', 2]);
  // reported only at epochs 3 and 5: rung 0 (epoch 2) is judged at epoch 3, rung 1 (epoch 4) at epoch 5
  const study = createStudy({ space: mlp, direction: 'maximize', pruner, seed: 1 });
  runCurve(study, [0.5, 0.6, 0.7, 0.8, 0.9, 0.9, 0.9, 0.9]);
  const sparse = study.ask();
  sparse.report(3, 0.65);
  assert.equal(sparse.shouldPrune(), false);
  sparse.report(5, 0.75);
  assert.equal(sparse.shouldPrune(), true, 'rung 1 holds 0.8 from epoch 4 of the first trial');
});

test('SH with concurrent trials: a trial is judged against what its rung holds when it gets there', () => {
  const study = createStudy({ space: mlp, direction: 'maximize', pruner: new SuccessiveHalvingPruner(), seed: 2 });
  const [a, b, c] = study.askBatch(3);
  a.report(1, 0.5);
  assert.equal(a.shouldPrune(), false);
  b.report(1, 0.6);
  assert.equal(b.shouldPrune(), false);
  c.report(1, 0.55);
  assert.equal(c.shouldPrune(), true);
  a.report(2, 0.7);
  assert.equal(a.shouldPrune(), false, 'between rungs nothing is judged');
});

test('a non-finite report prunes at once; before any report nothing is pruned', () => {
  const study = createStudy({ space: mlp, direction: 'maximize', pruner: new SuccessiveHalvingPruner(), seed: 2 });
  const trial = study.ask();
  assert.equal(trial.shouldPrune(), false);
  trial.report(1, Number.NaN);
  assert.equal(trial.shouldPrune(), true);
  assert.deepEqual(trial.intermediate, [null, null]);
});

test('bootstrapCount prunes until a rung holds more than that many values', () => {
  const pruner = new SuccessiveHalvingPruner({ bootstrapCount: 2 });
  // the third trial passes rung 0 (three values) but is the only one at rung 1 (epoch 3)
  assert.deepEqual(runCurves(pruner, 'maximize', [flat(1, 3), flat(2, 3), flat(3, 3)]), [1, 1, 3]);
});

test('isPromotable: top 1/η of the values, the best while fewer than η', () => {
  assert.equal(isPromotable(5, [5], 3, 'maximize'), true);
  assert.equal(isPromotable(4, [4, 5], 3, 'maximize'), false);
  assert.equal(isPromotable(8, [1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 'maximize'), true);
  assert.equal(isPromotable(6, [1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 'maximize'), false);
  assert.equal(isPromotable(3, [1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 'minimize'), true);
  assert.equal(isPromotable(4, [1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 'minimize'), false);
});

test('SH checks its settings; NopPruner never prunes', () => {
  assert.throws(() => new SuccessiveHalvingPruner({ reductionFactor: 1 }), StudyError);
  assert.throws(() => new SuccessiveHalvingPruner({ minResource: 0 }), StudyError);
  assert.throws(() => new SuccessiveHalvingPruner({ bootstrapCount: -1 }), StudyError);
  const values = [5, 3, 8, 1, 9, 2, 8.5, 4, 6];
  assert.deepEqual(runCurves(new NopPruner(), 'maximize', values.map((v) => flat(v))), Array(9).fill('complete'));
});
