/** Methods under study in the external check beside the shipped models (see scripts/bench-external.ts). */
import { conditionedPortfolio, scenarioWeights } from '../src/metamodel/conditioned.ts';
import { TaskIndex } from '../src/metamodel/task-index.ts';
import type { MetaModel, MetaFeatureValues, TrainingSet } from '../src/metamodel/types.ts';
import type { Configuration } from '../src/spaces/types.ts';

export async function extraMethods(training: TrainingSet, _models: Map<string, MetaModel>, _cache: string, _space: string): Promise<Map<string, (mf: MetaFeatureValues) => Configuration[]>> {
  const index = TaskIndex.fromTraining(training);
  const maps = index.tasks.map((t) => new Map(Object.entries(t.scores)));
  const configs = new Map(training.tasks.flatMap((t) => t.evaluations.map((e) => [e.configHash, e.config] as const)));
  const pool = [...configs.keys()].sort();
  const conditioned = (mf: MetaFeatureValues) => {
    const weights = scenarioWeights(index.nearest(mf), index.tasks.map((t) => t.name), { tau: 0.2, lambda: 0.3 });
    return conditionedPortfolio(maps, weights, pool, 5).map((h) => configs.get(h)!);
  };
  return new Map([['conditioned', conditioned]]);
}
