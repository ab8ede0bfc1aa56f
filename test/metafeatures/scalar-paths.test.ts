/**
 * The WebAssembly kernels change no value: every group, with the kernels and with the scalar
 * code only (`useKernels(false)`), gives bit-identical vectors — on corpus datasets and on a
 * generated dataset wide and long enough for every kernel path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadDataset } from '../../src/data/index.ts';
import { extractMetaFeatures } from '../../src/metafeatures/index.ts';
import { useKernels } from '../../src/metafeatures/simd-kernels.ts';
import { Random } from '../../src/random.ts';
import { DATASETS, classification, numeric } from './fixtures.ts';
import type { Dataset } from '../../src/data/table.ts';

function bothWays(dataset: Dataset, landmarkCap: number): [Record<string, number | null>, Record<string, number | null>] {
  const withKernels = extractMetaFeatures(dataset, { landmarkCap, seed: 1 }).values;
  useKernels(false);
  try {
    return [withKernels, extractMetaFeatures(dataset, { landmarkCap, seed: 1 }).values];
  } finally {
    useKernels(true);
  }
}

function assertSame(a: Record<string, number | null>, b: Record<string, number | null>, label: string): void {
  for (const name of Object.keys(a)) assert.ok(Object.is(a[name], b[name]), `${label}: ${name} ${a[name]} vs ${b[name]}`);
}

test('corpus datasets: the same vectors with and without the kernels', async () => {
  for (const file of ['classification/iris.arff.gz', 'classification/kr.vs.kp.arff.gz', 'classification/ionosphere.arff.gz', 'regression/cpu.arff.gz']) {
    const dataset = await loadDataset(join(DATASETS, file));
    const [a, b] = bothWays(dataset, 300);
    assertSame(a, b, file);
  }
});

test('a generated 1,500 x 13 dataset with ties and missing values: the same vectors with and without the kernels', () => {
  const rng = new Random(12);
  const n = 1500;
  const labels = Array.from({ length: n }, () => ['a', 'b', 'c'][rng.int(3)]);
  const columns = Array.from({ length: 13 }, (_, j) =>
    numeric(`x${j}`, labels.map((l, i) => (j % 4 === 0 ? rng.int(5) : j === 5 && i % 17 === 0 ? NaN : rng.normal() + (l === 'a' ? j / 10 : 0)))),
  );
  const [a, b] = bothWays(classification(columns, labels), 1000);
  assertSame(a, b, 'generated');
});
