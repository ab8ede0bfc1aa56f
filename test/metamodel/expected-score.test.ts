import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../src/random.ts';
import { calibrateWidening, distancesTo, expectedScores, landmarkLevel, type ScoredTask } from '../../src/metamodel/expected-score.ts';

/** Tasks whose configuration scores sit a fixed offset above their best landmark, with noise. */
function family(n: number, noise: number, seed: number): ScoredTask[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, (_, i) => {
    const level = 0.5 + 0.4 * rng.uniform(0, 1);
    const metaFeatures = { LandmarkLDA: level, LandmarkDecisionTree: level - 0.05, NumberOfInstances: 100 + i };
    const scores = new Map([['good', level + 0.05 + noise * rng.normal()], ['bad', level - 0.2 + noise * rng.normal()]]);
    return { name: `t${i}`, taskType: 'classification' as const, metaFeatures, scores };
  });
}

test('the landmark level is the best landmark of the task\'s type', () => {
  assert.equal(landmarkLevel({ LandmarkLDA: 0.7, Landmark1NN: 0.8, LandmarkLinearRegressionR2: 0.95 }, 'classification'), 0.8);
  assert.equal(landmarkLevel({ LandmarkLDA: 0.7, LandmarkLinearRegressionR2: 0.3 }, 'regression'), 0.3);
  assert.equal(landmarkLevel({ LandmarkLDA: null }, 'classification'), undefined);
});

test('expected scores follow the landmark level: exact without noise, in the task metric', () => {
  const tasks = family(20, 0, 1);
  const query = { LandmarkLDA: 0.72, LandmarkDecisionTree: 0.6, NumberOfInstances: 110 };
  const [good, bad, unknown] = expectedScores(tasks, distancesTo(query, tasks), query, 'classification', ['good', 'bad', 'never-run'], { tau: 0.1, lambda: 0.6 }, 1);
  assert.ok(Math.abs(good!.mean - 0.77) < 1e-9, String(good!.mean));
  assert.ok(Math.abs(bad!.mean - 0.52) < 1e-9, String(bad!.mean));
  assert.equal(unknown, undefined, 'no past task ran it and no normalised prediction was given');
  assert.equal(good!.support, 20);
  // a normalised prediction places an unseen configuration within each past task's range
  const [guess] = expectedScores(tasks, distancesTo(query, tasks), query, 'classification', ['never-run'], { tau: 0.1, lambda: 0.6 }, 1, [1]);
  assert.ok(Math.abs(guess!.mean - 0.77) < 1e-9, String(guess!.mean));
  // regression tasks are not used for a classification query
  const [none] = expectedScores(tasks.map((t) => ({ ...t, taskType: 'regression' as const })), [], query, 'classification', ['good'], { tau: 0.1, lambda: 0.6 }, 1);
  assert.equal(none, undefined);
});

test('with noise, the calibrated interval holds the nominal share of left-out tasks\' actual scores', () => {
  const tasks = family(40, 0.03, 2);
  const { widen, coverage } = calibrateWidening(tasks, ['good', 'bad'], { tau: 0.1, lambda: 0.6 }, (task, others) => distancesTo(task.metaFeatures, others));
  assert.ok(widen >= 0.5 && coverage >= 0.8, `${widen} ${coverage}`);
  // fresh tasks of the same family: about 80 % inside (wide margin for 200 draws)
  const fresh = family(100, 0.03, 3);
  let inside = 0;
  let total = 0;
  for (const task of fresh) {
    const predicted = expectedScores(tasks, distancesTo(task.metaFeatures, tasks), task.metaFeatures, 'classification', ['good', 'bad'], { tau: 0.1, lambda: 0.6 }, widen);
    predicted.forEach((p, i) => {
      const actual = task.scores.get(i === 0 ? 'good' : 'bad')!;
      total++;
      if (actual >= p!.low && actual <= p!.high) inside++;
    });
  }
  assert.ok(inside / total > 0.65 && inside / total < 0.97, `coverage ${inside / total}`);
});
