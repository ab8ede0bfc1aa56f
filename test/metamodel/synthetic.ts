/**
 * A synthetic but structured benchmark for meta-model tests: tasks with meta-features (real
 * extractor names, so real datasets can query it), one shared set of configurations of the shipped
 * `mlp` space, and scores from a function of meta-features × configuration plus noise, so that
 * which configurations are good is learnable from the meta-features.
 */
import { createHash } from 'node:crypto';
import { Random } from '../../src/random.ts';
import { configHash } from '../../src/spaces/canonical.ts';
import { loadSearchSpace } from '../../src/spaces/load.ts';
import type { Configuration } from '../../src/spaces/types.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import type { EvaluationInput } from '../../src/store/records.ts';

export interface SyntheticOptions {
  readonly tasks?: number;
  readonly configs?: number;
  readonly seed?: number;
  readonly noise?: number;
  /**
   * Standard deviation of a per-task shift of the optimum that the meta-features do not reveal
   * (default 0): real tasks have such idiosyncrasies, and only evaluations on the task find them.
   */
  readonly latent?: number;
}

/** Meta-features of task t: sizes, class entropy and counts spread over realistic ranges. */
export function syntheticMetaFeatures(rng: Random): Record<string, number> {
  const logN = 4 + 6 * rng.next();
  const logF = 1 + 4 * rng.next();
  const classes = 2 + rng.int(9);
  return {
    NumberOfInstances: Math.round(Math.exp(logN)), LogNumberOfInstances: logN,
    NumberOfFeatures: Math.round(Math.exp(logF)), LogNumberOfFeatures: logF,
    NumberOfClasses: classes, ClassEntropy: Math.log2(classes) * (0.5 + 0.5 * rng.next()),
  };
}

/**
 * The true score of a configuration on a task: a smooth bowl whose optimum moves with the
 * meta-features, plus a categorical preference.
 */
export function syntheticScore(features: Record<string, number>, vector: Float64Array, shift: readonly number[] = [0, 0]): number {
  const a = (features.LogNumberOfInstances - 4) / 6;
  const b = (features.LogNumberOfFeatures - 1) / 4;
  const c = features.ClassEntropy / Math.log2(10);
  const lr = vector[7];
  const units = vector[1];
  const dropout = vector[3];
  const batch = vector[9];
  const activationTanh = vector[2] > 0.6 && vector[2] < 0.7 ? 1 : 0;
  const bowl = (lr - (0.25 + 0.5 * a + shift[0])) ** 2 + (units - (0.2 + 0.6 * b + shift[1])) ** 2 + 0.5 * (dropout - (0.6 - 0.5 * a)) ** 2 + 0.5 * (batch - (0.2 + 0.6 * a)) ** 2;
  return 0.9 - 0.8 * bowl - 0.05 * Math.abs(activationTanh - (c > 0.5 ? 1 : 0)) + 0.05 * c;
}

/** The configurations every synthetic task evaluates (a scrambled Sobol design of `mlp`). */
export function syntheticConfigurations(count: number, seed: number): Configuration[] {
  return loadSearchSpace('mlp').sampleSpaceFilling(count, seed);
}

/**
 * Writes a synthetic store.
 * @param path - SQLite file to create
 * @returns the task names
 */
export function writeSyntheticStore(path: string, options: SyntheticOptions = {}): string[] {
  const space = loadSearchSpace('mlp');
  const seed = options.seed ?? 1;
  const rng = new Random(seed);
  const configs = syntheticConfigurations(options.configs ?? 100, seed);
  const vectors = configs.map((c) => space.toVector(c));
  const store = SqliteMetaStore.open(path);
  const names: string[] = [];
  try {
    for (let t = 0; t < (options.tasks ?? 30); t++) {
      const name = `synthetic-${String(t).padStart(3, '0')}`;
      const features = syntheticMetaFeatures(rng);
      const shift = [(options.latent ?? 0) * rng.normal(), (options.latent ?? 0) * rng.normal()];
      store.addTask({ name, source: `/synthetic/${name}.arff`, contentHash: createHash('sha256').update(name).digest('hex'), nRows: features.NumberOfInstances, nFeatures: features.NumberOfFeatures, taskType: 'classification', target: 'class', nClasses: features.NumberOfClasses });
      store.putMetaFeatures(name, { extractorVersion: '1.0.0', values: features, missing: {} });
      store.addEvaluations(configs.map((config, i) => evaluation(name, config, syntheticScore(features, vectors[i], shift) + (options.noise ?? 0.01) * rng.normal())));
      names.push(name);
    }
  } finally {
    store.close();
  }
  return names;
}

function evaluation(task: string, config: Configuration, score: number): EvaluationInput {
  return {
    task, space: 'mlp', configHash: configHash(config), config, protocolId: 'synthetic-holdout', fidelity: 50, seed: 0, status: 'ok',
    metrics: { accuracy: score }, primaryScore: score, curve: [score], epochsRun: 1, wallTimeMs: 1, backend: 'cpu', metatuneVersion: '0.1.0',
  };
}
