import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REGRESSION_SCORE_FLOOR, taskEvaluations } from '../../src/metamodel/training-set.ts';
import { robustFloor } from '../../src/metamodel/surrogate.ts';
import { configHash } from '../../src/spaces/canonical.ts';
import { loadSearchSpace } from '../../src/spaces/index.ts';
import type { EvaluationRecord } from '../../src/store/records.ts';

const space = loadSearchSpace('linear');
const configs = space.sampleSpaceFilling(4, 1);

function records(scores: readonly number[]): EvaluationRecord[] {
  return scores.map((primaryScore, i) => {
    const config = space.validateConfiguration(configs[i]);
    return {
      task: 't', space: 'linear', configHash: configHash(config), config, protocolId: 'p', fidelity: 10, seed: 0, status: 'ok', error: null,
      metrics: {}, primaryScore, curve: { trainLoss: [], validLoss: [] }, epochsRun: 1, wallTimeMs: 1, backend: 'cpu', metatuneVersion: 'test', createdAt: '',
    };
  });
}

const byScore = (evaluations: ReturnType<typeof taskEvaluations>) => new Map(evaluations.map((e) => [e.score, e.normalized]));

test('without a floor one diverged run flattens a task; the R² floor keeps the other scores apart', () => {
  const scores = [0.8, 0.5, -1e13, 0.9];
  const plain = byScore(taskEvaluations(space, records(scores)));
  assert.ok((plain.get(0.5) ?? 0) > 0.999999, 'min-max over −1e13 squashes 0.5 next to 0.9');
  const floored = byScore(taskEvaluations(space, records(scores), REGRESSION_SCORE_FLOOR));
  assert.equal(floored.get(0.9), 1);
  assert.ok(Math.abs((floored.get(0.8) ?? 0) - 0.8 / 0.9) < 1e-12);
  assert.ok(Math.abs((floored.get(0.5) ?? 0) - 0.5 / 0.9) < 1e-12);
  assert.equal(floored.get(-1e13), 0, 'a score below the floor normalises as the floor');
});

test('the floor is ignored when even the best score is below it, and scores above it are min-max as before', () => {
  const allNegative = byScore(taskEvaluations(space, records([-3, -1, -2]), REGRESSION_SCORE_FLOOR));
  assert.deepEqual([allNegative.get(-3), allNegative.get(-2), allNegative.get(-1)], [0, 0.5, 1]);
  const above = byScore(taskEvaluations(space, records([0.2, 0.6, 0.4]), REGRESSION_SCORE_FLOOR));
  assert.equal(above.get(0.2), 0);
  assert.ok(Math.abs((above.get(0.4) ?? 0) - 0.5) < 1e-12);
  assert.equal(above.get(0.6), 1);
});

test('robustFloor lies far below ordinary spreads and above outliers', () => {
  assert.ok(robustFloor([0.5, 0.9, 0.91, 0.92]) < 0.5, 'a merely bad score is kept');
  const floor = robustFloor([0.8, 0.82, 0.85, -1e9, 0.7]);
  assert.ok(floor > -1e9 && floor < 0.7, `floor ${floor}`);
  assert.equal(robustFloor([0.3, 0.3, 0.3]), -Infinity);
  assert.equal(robustFloor([]), -Infinity);
});
