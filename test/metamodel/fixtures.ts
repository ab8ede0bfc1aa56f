/** Small hand-made training sets for the meta-model tests. */
import { configHash } from '../../src/spaces/canonical.ts';
import { loadSearchSpace } from '../../src/spaces/load.ts';
import type { Configuration } from '../../src/spaces/types.ts';
import type { MetaTask, TrainingSet } from '../../src/metamodel/types.ts';

/** @returns `count` distinct valid configurations of the shipped mlp space */
export function mlpConfigs(count: number): Configuration[] {
  return loadSearchSpace('mlp').sampleSpaceFilling(count, 7);
}

/**
 * @param tasks - name → meta-features and one score per configuration (same order as `configs`)
 * @returns a training set over the mlp space
 */
export function handMadeTraining(configs: readonly Configuration[], tasks: Record<string, { features: Record<string, number>; scores: number[] }>): TrainingSet {
  const space = loadSearchSpace('mlp');
  const metaTasks: MetaTask[] = Object.entries(tasks).map(([name, t]) => {
    const min = Math.min(...t.scores);
    const max = Math.max(...t.scores);
    const evaluations = configs.map((config, i) => ({ configHash: configHash(config), config, score: t.scores[i], normalized: (t.scores[i] - min) / (max - min) }));
    evaluations.sort((a, b) => (a.configHash < b.configHash ? -1 : 1));
    return { name, metaFeatures: t.features, extractorVersion: '1', evaluations };
  });
  return { space, tasks: metaTasks };
}
