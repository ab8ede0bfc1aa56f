/**
 * extractMetaFeaturesAsync (landmark parts claimed by the workers and the calling thread) gives
 * the vectors of extractMetaFeatures bit for bit, with the same missing reasons, for
 * classification, regression, degenerate samples, the scalar code and several concurrent calls.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/index.ts';
import { extractMetaFeatures, extractMetaFeaturesAsync, warmLandmarkWorker, FeatureSink, type ExtractOptions } from '../../src/metafeatures/index.ts';
import { useKernels } from '../../src/metafeatures/simd-kernels.ts';
import { prepareLandmarks, scoreLandmarks } from '../../src/metafeatures/landmarking.ts';
import { closeLandmarkWorkers, LANDMARK_WORKERS, startLandmarks } from '../../src/metafeatures/landmark-thread.ts';
import { LANDMARK_PARTS } from '../../src/metafeatures/landmarking.ts';
import { buildView } from '../../src/metafeatures/view.ts';
import { threadId } from 'node:worker_threads';
import { DATASETS, classification, numeric, regression } from './fixtures.ts';
import type { Dataset } from '../../src/data/table.ts';

// The workers are stopped whatever happens, so a failed test (a missing file) ends the run at once.
after(closeLandmarkWorkers);

async function assertSameBothWays(dataset: Dataset, options: ExtractOptions, label: string): Promise<void> {
  const one = extractMetaFeatures(dataset, options);
  const two = await extractMetaFeaturesAsync(dataset, options);
  assert.deepEqual(Object.keys(two.values), Object.keys(one.values), label);
  for (const name of Object.keys(one.values)) assert.ok(Object.is(one.values[name], two.values[name]), `${label}: ${name} ${one.values[name]} vs ${two.values[name]}`);
  assert.deepEqual(two.missing, one.missing, label);
}

test('while this thread is busy the workers score every part, with the values of this thread', async () => {
  assert.equal(warmLandmarkWorker(), true);
  const dataset = await loadDataset(join(DATASETS, 'classification/iris.arff.gz'));
  const task = prepareLandmarks(buildView(dataset), new FeatureSink(), { seed: 0, cap: 2000, folds: 10 });
  assert.ok(task !== null);
  const here = new FeatureSink();
  scoreLandmarks(task, here);
  const run = startLandmarks(task);
  for (let waited = 0; run.unclaimed() > 0 && waited < 60_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20)); // the workers claim every part meanwhile
  const scored = await run.finish();
  assert.deepEqual(Object.keys(scored.threads).sort(), [...LANDMARK_PARTS].sort());
  for (const part of LANDMARK_PARTS) assert.notEqual(scored.threads[part], threadId, part);
  assert.deepEqual(scored.values, here.values);
  assert.deepEqual(scored.missing, here.missing);
  // Joining at once: the parts are shared between this thread and the workers, same values.
  const shared = await startLandmarks(task).finish();
  assert.deepEqual(Object.keys(shared.threads).sort(), [...LANDMARK_PARTS].sort());
  assert.deepEqual(shared.values, here.values);
  assert.deepEqual(shared.missing, here.missing);
  assert.ok(LANDMARK_WORKERS >= 1 && LANDMARK_WORKERS <= LANDMARK_PARTS.length);
});

test('corpus datasets: the same vectors with the landmarks on the worker', async () => {
  for (const file of ['classification/iris.arff.gz', 'classification/kr.vs.kp.arff.gz', 'regression/cpu.arff.gz']) {
    const dataset = await loadDataset(join(DATASETS, file));
    await assertSameBothWays(dataset, { landmarkCap: 300, seed: 3 }, file);
  }
});

test('scalar code and degenerate samples: the same vectors', async () => {
  const constant = classification([numeric('a', [1, 1, 1, 1]), numeric('b', [2, 2, 2, 2])], ['x', 'y', 'x', 'y']);
  await assertSameBothWays(constant, {}, 'no varying feature');
  const single = regression([numeric('a', [1, 2, 3])], [1, NaN, NaN]);
  await assertSameBothWays(single, {}, 'one labelled row');
  const dataset = await loadDataset(join(DATASETS, 'classification/iris.arff.gz'));
  useKernels(false);
  try {
    await assertSameBothWays(dataset, { seed: 2 }, 'iris without kernels');
  } finally {
    useKernels(true);
  }
});

test('concurrent calls share the worker and get their own answers', async () => {
  const dataset = await loadDataset(join(DATASETS, 'classification/iris.arff.gz'));
  const seeds = [0, 1, 2, 3];
  const vectors = await Promise.all(seeds.map((seed) => extractMetaFeaturesAsync(dataset, { seed, groups: ['landmarking'] })));
  seeds.forEach((seed, i) => assert.deepEqual(vectors[i].values, extractMetaFeatures(dataset, { seed, groups: ['landmarking'] }).values));
  const timed = await extractMetaFeaturesAsync(dataset, { groups: ['general', 'landmarking'], timings: true });
  assert.deepEqual(Object.keys(timed.timings ?? {}).sort(), ['general', 'landmarking']);
});
