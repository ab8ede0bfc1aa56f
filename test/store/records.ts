/** Records built for store tests (structurally the shapes the data, spaces and evaluation layers produce). */
import type { EvaluationInput, JsonValue, SearchSpaceInput, StoredConfiguration, TaskInput } from '../../src/store/types.ts';
import { sha256Hex } from '../../src/store/canonical.ts';
import { configHash } from '../../src/spaces/canonical.ts';

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

/** @returns the hash of a configuration: `configHash` of src/spaces, which `db import` checks */
export function hashOf(config: StoredConfiguration): string {
  return configHash(config);
}

/** The definition of the small space {@link makeConfig} draws from (an import checks configurations against it). */
export const TEST_SPACE_DEFINITION: JsonValue = {
  name: 'mlp',
  format_version: 1,
  task_types: ['classification', 'regression'],
  hyperparameters: [
    { name: 'units', type: 'uniform_int', lower: 16, upper: 1024, default_value: 64 },
    { name: 'learning_rate', type: 'uniform_float', lower: 0.0001, upper: 1, log: true, default_value: 0.001 },
    { name: 'optimizer', type: 'categorical', choices: ['adam', 'sgd'], default_value: 'adam' },
    { name: 'batch_norm', type: 'categorical', choices: [false, true], default_value: false },
  ],
  conditions: [],
  forbiddens: [],
};

/** @returns the space record of {@link TEST_SPACE_DEFINITION} */
export function makeSpace(overrides: Partial<SearchSpaceInput> = {}): SearchSpaceInput {
  return { name: 'mlp', version: 1, definition: TEST_SPACE_DEFINITION, ...overrides };
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
