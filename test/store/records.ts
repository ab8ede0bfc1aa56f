/** Records built for store tests (structurally the shapes the data, spaces and evaluation layers produce). */
import type { EvaluationInput, StoredConfiguration, TaskInput } from '../../src/store/types.ts';
import { canonicalJson, sha256Hex } from '../../src/store/canonical.ts';

/** @returns a classification task named `name` with a content hash derived from the name */
export function makeTask(name: string, overrides: Partial<TaskInput> = {}): TaskInput {
  return {
    name,
    source: `/data/${name}.arff`,
    contentHash: sha256Hex(`content of ${name}`),
    nRows: 150,
    nFeatures: 4,
    taskType: 'classification',
    target: 'class',
    nClasses: 3,
    ...overrides,
  };
}

/** @returns configuration number `i` of a small MLP-like space */
export function makeConfig(i: number): StoredConfiguration {
  return { units: 16 + i, learning_rate: (i + 1) / 1000, optimizer: i % 2 === 0 ? 'adam' : 'sgd', batch_norm: i % 3 === 0 };
}

/** @returns a stable hash of a configuration, as `configHash` in src/spaces would give */
export function hashOf(config: StoredConfiguration): string {
  return sha256Hex(canonicalJson(config)).slice(0, 16);
}

/** @returns an ok evaluation of configuration `i` on `task` */
export function makeEvaluation(task: string, i: number, overrides: Partial<EvaluationInput> = {}): EvaluationInput {
  const config = makeConfig(i);
  const score = 0.5 + ((i * 37) % 50) / 100;
  return {
    task,
    space: 'mlp',
    configHash: hashOf(config),
    config,
    protocolId: 'holdout-v1',
    fidelity: 20,
    seed: 0,
    status: 'ok',
    error: null,
    metrics: { accuracy: score, log_loss: 1 - score },
    primaryScore: score,
    curve: [Number((score - 0.2).toFixed(2)), Number((score - 0.1).toFixed(2)), score],
    epochsRun: 3,
    wallTimeMs: 120 + i,
    backend: 'wasm',
    metatuneVersion: '0.1.0',
    createdAt: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
    ...overrides,
  };
}
