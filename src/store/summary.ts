/**
 * Summaries of a store for the inspection commands: counts and coverage, configuration rankings,
 * score distributions. They read through {@link MetaStore}, so they work on any backend and on the
 * merged view of layered stores.
 */
import { quantileSorted } from 'simple-statistics';
import type { StoredConfiguration } from './records.ts';
import type { EvaluationScore, MetaStore, StoreLocation } from './types.ts';

/** What rankings and distributions read of an evaluation (an EvaluationRecord has it too). */
export type ScoredEvaluation = Pick<EvaluationScore, 'task' | 'space' | 'configHash' | 'status' | 'primaryScore'>;

/** Coverage of one search space: how much of the task × configuration matrix is evaluated. */
export interface SpaceCoverage {
  readonly space: string;
  /** Tasks with at least one evaluation in this space. */
  readonly tasks: number;
  /** Configurations with at least one evaluation. */
  readonly configurations: number;
  /** Distinct (task, configuration) pairs evaluated. */
  readonly pairs: number;
  /** pairs / (tasks × configurations): 1 is a dense matrix. */
  readonly density: number;
  readonly evaluations: number;
}

/** What `db stats` reports. */
export interface StoreStats {
  readonly locations: readonly StoreLocation[];
  readonly counts: Readonly<Record<'tasks' | 'metaFeatureVectors' | 'searchSpaces' | 'configurations' | 'evaluations' | 'studies' | 'trials' | 'metaModels' | 'provenance', number>>;
  readonly evaluationsByStatus: Readonly<Record<'ok' | 'failed', number>>;
  readonly coverage: readonly SpaceCoverage[];
}

/**
 * Counts records and measures coverage per space.
 * @param store - any store
 * @returns counts, sizes on disk and coverage
 */
export function storeStats(store: MetaStore): StoreStats {
  const keys = store.listEvaluationScores();
  const studies = store.listStudies();
  const spaces = [...new Set(keys.map((k) => k.space))].sort();
  const coverage = spaces.map((space): SpaceCoverage => {
    const ofSpace = keys.filter((k) => k.space === space);
    const tasks = new Set(ofSpace.map((k) => k.task)).size;
    const configurations = new Set(ofSpace.map((k) => k.configHash)).size;
    const pairs = new Set(ofSpace.map((k) => `${k.task}\u0000${k.configHash}`)).size;
    return { space, tasks, configurations, pairs, density: pairs / (tasks * configurations), evaluations: ofSpace.length };
  });
  return {
    locations: store.describe(),
    counts: {
      tasks: store.listTasks().length,
      metaFeatureVectors: store.listMetaFeatures().length,
      searchSpaces: store.listSearchSpaces().length,
      configurations: store.listConfigurations().length,
      evaluations: keys.length,
      studies: studies.length,
      trials: studies.reduce((n, s) => n + store.listTrials(s.name).length, 0),
      metaModels: store.listMetaModels().length,
      provenance: store.listProvenance().length,
    },
    evaluationsByStatus: { ok: keys.filter((k) => k.status === 'ok').length, failed: keys.filter((k) => k.status === 'failed').length },
    coverage,
  };
}

/** A configuration's standing over the evaluations considered. */
export interface RankedConfiguration {
  readonly space: string;
  readonly configHash: string;
  /** The configuration, when the store has it. */
  readonly config: StoredConfiguration | null;
  /** Tasks it was evaluated on (successfully). */
  readonly tasks: number;
  /** Mean primary score over its ok evaluations. */
  readonly meanScore: number;
  /** Mean over tasks of (score − task's worst) / (task's best − worst): 1 − normalised regret. */
  readonly meanNormalizedScore: number;
  readonly failed: number;
}

/**
 * Ranks configurations by mean normalised score (per task, 1 for the task's best configuration and
 * 0 for its worst), which makes scores of different tasks comparable; ties by mean score, then hash.
 * @param evaluations - the evaluations to rank over (one task, or many)
 * @param configOf - looks a configuration up by space and hash (see {@link configurationLookup})
 * @returns every configuration with an ok evaluation, best first
 */
export function rankConfigurations(
  evaluations: readonly ScoredEvaluation[],
  configOf: (space: string, hash: string) => StoredConfiguration | undefined = () => undefined,
): RankedConfiguration[] {
  const bounds = taskBounds(evaluations);
  const groups = new Map<string, ScoredEvaluation[]>();
  for (const e of evaluations) {
    const key = `${e.space}\u0000${e.configHash}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [e]);
    else group.push(e);
  }
  const ranked: RankedConfiguration[] = [];
  for (const group of groups.values()) {
    const ok = group.filter((e) => e.status === 'ok' && e.primaryScore !== null);
    if (ok.length === 0) continue;
    const normalized = ok.map((e) => normalize(e, bounds.get(`${e.task}\u0000${e.space}`)));
    ranked.push({
      space: group[0].space,
      configHash: group[0].configHash,
      config: configOf(group[0].space, group[0].configHash) ?? null,
      tasks: new Set(ok.map((e) => e.task)).size,
      meanScore: mean(ok.map((e) => e.primaryScore ?? 0)),
      meanNormalizedScore: mean(normalized),
      failed: group.length - ok.length,
    });
  }
  return ranked.sort((a, b) => b.meanNormalizedScore - a.meanNormalizedScore || b.meanScore - a.meanScore || (a.configHash < b.configHash ? -1 : 1));
}

function taskBounds(evaluations: readonly ScoredEvaluation[]): Map<string, { min: number; max: number }> {
  const bounds = new Map<string, { min: number; max: number }>();
  for (const e of evaluations) {
    if (e.status !== 'ok' || e.primaryScore === null) continue;
    const key = `${e.task}\u0000${e.space}`;
    const b = bounds.get(key) ?? { min: e.primaryScore, max: e.primaryScore };
    bounds.set(key, { min: Math.min(b.min, e.primaryScore), max: Math.max(b.max, e.primaryScore) });
  }
  return bounds;
}

function normalize(e: ScoredEvaluation, b: { min: number; max: number } | undefined): number {
  if (b === undefined || e.primaryScore === null) return 0;
  return b.max > b.min ? (e.primaryScore - b.min) / (b.max - b.min) : 1;
}

function mean(values: readonly number[]): number {
  return values.reduce((s, x) => s + x, 0) / values.length;
}

/** Quantiles of a score distribution. */
export interface ScoreDistribution {
  readonly count: number;
  readonly min: number;
  readonly q25: number;
  readonly median: number;
  readonly q75: number;
  readonly q90: number;
  readonly max: number;
}

/**
 * Summarises the primary scores of ok evaluations.
 * @returns quantiles (as simple-statistics' `quantileSorted` computes them), or null when there is no score
 */
export function scoreDistribution(evaluations: readonly ScoredEvaluation[]): ScoreDistribution | null {
  const scores = evaluations.flatMap((e) => (e.status === 'ok' && e.primaryScore !== null ? [e.primaryScore] : []));
  if (scores.length === 0) return null;
  scores.sort((a, b) => a - b);
  const q = (p: number) => quantileSorted(scores, p);
  return { count: scores.length, min: scores[0], q25: q(0.25), median: q(0.5), q75: q(0.75), q90: q(0.9), max: scores[scores.length - 1] };
}

/**
 * Builds a configuration lookup for {@link rankConfigurations}.
 * @param store - the store
 * @param space - only this space's configurations (all when omitted)
 */
export function configurationLookup(store: MetaStore, space?: string): (space: string, hash: string) => StoredConfiguration | undefined {
  const configs = new Map(store.listConfigurations(space).map((c) => [`${c.space}\u0000${c.hash}`, c.config]));
  return (s, hash) => configs.get(`${s}\u0000${hash}`);
}
