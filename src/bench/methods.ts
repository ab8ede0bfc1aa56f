/**
 * The benchmark's methods. Each turns a held-out task into a pick order over that task's evaluated
 * configurations (distinct indices, at most `budget`):
 * - `default`: the candidate nearest to the space's default configuration, then random order;
 * - `random`: a seeded random order;
 * - `tpe`: src/search's TPESampler (Optuna defaults: 10 random start-up trials) proposes a
 *   configuration from the history of picks, and the nearest unpicked candidate (squared Euclidean
 *   distance between one-hot vectors) is evaluated in its place;
 * - `knn`, `portfolio`, `learned`: the fold's meta-model's zero-shot ranking;
 * - `learned+bo`: what `metatune search` does with its defaults: the learned model's top
 *   {@link DEFAULT_WARM_START} configurations first (the warm start), then src/search's
 *   `MetaSampler` — after each evaluation the heads are adapted on the evaluations so far, a GP on
 *   the embeddings corrects the residuals, and the candidate of largest expected improvement over
 *   the best posterior mean among the evaluated configurations is picked — restricted, as HPO-B
 *   asks, to the task's evaluated configurations.
 */
import { Random } from '../random.ts';
import { TPESampler } from '../search/samplers/tpe.ts';
import type { FrozenTrial, SearchHistory } from '../search/types.ts';
import type { LearnedMetaModel } from '../metamodel/learned.ts';
import type { MetaModel } from '../metamodel/types.ts';
import { MetaSampler } from '../search/samplers/meta.ts';
import { DEFAULT_WARM_START } from '../search/run-search.ts';
import { nearestCandidate, type BenchTask } from './task-data.ts';

/** Every method, in report order. */
export const BENCH_METHODS = ['default', 'random', 'tpe', 'knn', 'portfolio', 'learned', 'learned+bo'] as const;
export type BenchMethod = (typeof BENCH_METHODS)[number];

/** Methods whose pick order does not depend on the seed (their curve is computed once per task). */
export const DETERMINISTIC_METHODS: ReadonlySet<BenchMethod> = new Set(['knn', 'portfolio', 'learned', 'learned+bo']);

/** The fold's fitted models (those the run asked for). */
export interface FoldModels {
  readonly knn?: MetaModel;
  readonly portfolio?: MetaModel;
  readonly learned?: LearnedMetaModel;
}

/**
 * @returns the pick order of `method` on a task
 * @throws Error when the method needs a model the fold does not have
 */
export function pickOrder(method: BenchMethod, data: BenchTask, models: FoldModels, seed: number, budget: number): number[] {
  const rng = new Random(seed);
  const limit = Math.min(budget, data.configs.length);
  switch (method) {
    case 'random': return Array.from(rng.permutation(data.configs.length).subarray(0, limit));
    case 'default': return defaultFirst(data, rng, limit);
    case 'tpe': return tpeOrder(data, rng, limit);
    case 'knn':
    case 'portfolio':
    case 'learned': return zeroShot(requireModel(models[method], method), data, limit);
    case 'learned+bo': return bayesianOptimisation(requireModel(models.learned, method), data, limit);
  }
}

function requireModel<T>(model: T | undefined, method: string): T {
  if (model === undefined) throw new Error(`benchmark method '${method}' needs its meta-model fitted for the fold`);
  return model;
}

function defaultFirst(data: BenchTask, rng: Random, limit: number): number[] {
  const first = nearestCandidate(data, data.defaultVector, new Set());
  const rest = Array.from(rng.permutation(data.configs.length)).filter((i) => i !== first);
  return [first, ...rest].slice(0, limit);
}

function zeroShot(model: MetaModel, data: BenchTask, limit: number): number[] {
  return model.rank({ metaFeatures: data.task.metaFeatures }, data.configs).slice(0, limit).map((r) => data.indexOf.get(r.configHash) ?? -1);
}

function tpeOrder(data: BenchTask, rng: Random, limit: number): number[] {
  const sampler = new TPESampler();
  const picks: number[] = [];
  const taken = new Set<number>();
  while (picks.length < limit) {
    const proposal = sampler.sample(data.space, history(data, picks), rng);
    const index = nearestCandidate(data, data.space.toOneHotVector(proposal), taken);
    picks.push(index);
    taken.add(index);
  }
  return picks;
}

function history(data: BenchTask, picks: readonly number[]): SearchHistory {
  const trials: FrozenTrial[] = picks.map((i, number) => ({
    study: 'bench', number, state: 'complete', configHash: data.hashes[i], config: data.configs[i], origin: 'sampler:tpe',
    value: data.scores[i], error: null, intermediate: [], startedAt: '', finishedAt: '',
  }));
  return { direction: 'maximize', trials, pending: [] };
}

function bayesianOptimisation(model: LearnedMetaModel, data: BenchTask, limit: number): number[] {
  const picks = zeroShot(model, data, Math.min(limit, DEFAULT_WARM_START));
  const taken = new Set(picks);
  const sampler = new MetaSampler({ source: model });
  const task = { name: data.task.name, metaFeatures: data.task.metaFeatures };
  while (picks.length < limit) {
    const remaining = data.configs.map((_, i) => i).filter((i) => !taken.has(i));
    const observed = { ...history(data, picks), task };
    const scores = sampler.scoreCandidates(data.space, observed, remaining.map((i) => data.configs[i]));
    let best = 0;
    for (let k = 1; k < scores.length; k++) if (scores[k] > scores[best]) best = k;
    picks.push(remaining[best]);
    taken.add(remaining[best]);
  }
  return picks;
}
