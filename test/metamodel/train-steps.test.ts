/** The learned model's default number of meta-training steps grows with the evaluations it learns from. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EPISODIC_SETTINGS, TRAINING_PASSES, defaultSteps } from '../../src/metamodel/train.ts';

test('default steps: TRAINING_PASSES passes over the evaluations, never below the 500-step floor', () => {
  const perStep = DEFAULT_EPISODIC_SETTINGS.tasksPerStep * DEFAULT_EPISODIC_SETTINGS.querySize;
  assert.equal(defaultSteps(0), DEFAULT_EPISODIC_SETTINGS.steps);
  assert.equal(defaultSteps(108 * 50), 500, 'the linear part of the shipped database stays at the floor');
  assert.equal(defaultSteps(21_155), Math.ceil((TRAINING_PASSES * 21_155) / perStep));
  assert.ok(defaultSteps(21_155) > 1500, 'the mlp part gets about three times the floor');
  assert.equal(defaultSteps(10_000, { tasksPerStep: 10, querySize: 50 }), Math.max(500, Math.ceil((TRAINING_PASSES * 10_000) / 500)));
});
