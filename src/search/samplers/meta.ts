/**
 * The `meta` sampler: Bayesian optimisation with a meta-model as the surrogate (FSBO-style). Each
 * proposal scores a pool of candidates — the configurations evaluated on past tasks (anchors),
 * space-filling samples of the whole space, and one-exchange neighbours of the best complete
 * trials — by expected improvement under the meta-model's mean and
 * uncertainty for this task, adapted on the study's complete trials, and returns the argmax.
 *
 * Pending trials (asked in the same batch, not told yet) enter the adaptation as a constant liar
 * at the worst observed score, so that a batch of asks spreads out instead of proposing one
 * region several times. Scores are on the surrogate's normalised scale (1 ≈ a task's best); the
 * incumbent is the highest predicted mean over the observed configurations (noisy-EI's plug-in).
 *
 * In a define-by-run study the sampler is relative (`../relative.ts`): once the study's space is
 * stored under its `spaceName` (a teaching study stores the space its trials discover; the
 * meta-model is trained on that space with `meta-train --space NAME`), it proposes one whole
 * configuration of it per trial; parameters outside it, and all of them before the space is
 * stored, come from `independent` (default random; trials of origin `sampler:meta:random`).
 */
import type { Random } from '../../random.ts';
import { configHash, type Configuration, type SearchSpace } from '../../spaces/index.ts';
import { StudyError } from '../errors.ts';
import type { JsonValue, SearchHistory, StudyTask } from '../types.ts';
import { RandomSampler } from './random.ts';
import type { Sampler } from './sampler.ts';

/** A configuration evaluated on the task, with its score (larger is better). */
export interface ObservedScore {
  readonly config: Configuration;
  readonly score: number;
}

/** The surrogate of one task: mean and standard deviation of the normalised score of each configuration. */
export interface TaskSurrogateLike {
  predict(configs: readonly Configuration[], evaluated?: readonly ObservedScore[]): { readonly mean: number; readonly std: number }[];
  /** The model's score of each configuration before adapting to the task's evaluations (its zero-shot order), after `evaluations` picks. */
  zeroShot?(configs: readonly Configuration[], evaluations: number): number[];
}

/** What gives a task surrogate from meta-features (`LearnedMetaModel` is one). */
export interface SurrogateSource {
  surrogate(metaFeatures: Readonly<Record<string, number | null>>): TaskSurrogateLike;
}

/** Options of {@link MetaSampler}. */
export interface MetaSamplerOptions {
  /** The meta-model (a trained `LearnedMetaModel`). */
  readonly source: SurrogateSource;
  /** A label of the model, stored with the study's settings (e.g. `learned-mlp@2026-…`). */
  readonly model?: string;
  /**
   * Configurations scored at every proposal besides the fresh samples: those evaluated on past
   * tasks, which a meta-model trained on them ranks best (recommend's pool does the same).
   */
  readonly anchors?: readonly Configuration[];
  /** Space-filling candidates per proposal (default 256). */
  readonly nCandidates?: number;
  /** Best complete trials whose neighbourhoods join the pool (default 3). */
  readonly nParents?: number;
  /** Improvement margin of EI on the normalised scale (default 0.01). */
  readonly xi?: number;
  /**
   * Trust region: EI chooses among the `trustRegion` untried candidates the meta-model ranks best
   * before adapting to the task (its zero-shot order, as `recommend` ranks them); the adapted
   * surrogate reorders them instead of reaching for configurations the meta-model does not
   * rate (default {@link DEFAULT_TRUST_REGION}; 0: every candidate).
   */
  readonly trustRegion?: number;
  /**
   * Define-by-run: draws the parameters the meta-model cannot score — all of them while the
   * study's space is not stored yet (default {@link RandomSampler}).
   */
  readonly independent?: Sampler;
}

/** Default {@link MetaSamplerOptions.trustRegion}. */
export const DEFAULT_TRUST_REGION = 0;

/** Bayesian optimisation with a meta-model surrogate; see the module comment. */
export class MetaSampler implements Sampler {
  readonly name = 'meta';
  /** Define-by-run studies take it as a relative sampler (see the module comment). */
  readonly defineByRun = true;
  /** @inheritdoc */
  readonly independentSampler: Sampler;
  private readonly source: SurrogateSource;
  private readonly model: string;
  private readonly anchors: readonly Configuration[];
  private readonly nCandidates: number;
  private readonly nParents: number;
  private readonly xi: number;
  private readonly trustRegion: number;
  private cached: { key: string; surrogate: TaskSurrogateLike } | undefined;

  /** @param options - see {@link MetaSamplerOptions} */
  constructor(options: MetaSamplerOptions) {
    this.source = options.source;
    this.model = options.model ?? 'learned';
    this.anchors = options.anchors ?? [];
    this.nCandidates = options.nCandidates ?? 256;
    this.nParents = options.nParents ?? 3;
    this.xi = options.xi ?? 0.01;
    this.trustRegion = options.trustRegion ?? DEFAULT_TRUST_REGION;
    this.independentSampler = options.independent ?? new RandomSampler();
    if (!Number.isInteger(this.trustRegion) || this.trustRegion < 0) throw new StudyError(`meta: trustRegion must be an integer ≥ 0, got ${this.trustRegion}`);
    if (!Number.isInteger(this.nCandidates) || this.nCandidates < 1) throw new StudyError(`meta: nCandidates must be an integer ≥ 1, got ${this.nCandidates}`);
    if (!Number.isInteger(this.nParents) || this.nParents < 0) throw new StudyError(`meta: nParents must be an integer ≥ 0, got ${this.nParents}`);
  }

  /**
   * Proposes the candidate of highest expected improvement.
   * @throws StudyError when the history has no task meta-features
   */
  sample(space: SearchSpace, history: SearchHistory, rng: Random): Configuration {
    const candidates = this.candidatePool(space, history, rng);
    if (candidates.length === 0) return space.sampleRandom(rng, 1)[0];
    const scores = this.scoreCandidates(space, history, candidates);
    let best = 0;
    for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
    return candidates[best];
  }

  /**
   * Expected improvement of each candidate over the incumbent, under the surrogate adapted on the
   * complete trials (and the pending ones as liars); −1 for candidates outside the trust region.
   * @returns one score per candidate (EI ≥ 0 inside the trust region; larger is more promising)
   * @throws StudyError when the history has no task meta-features
   */
  scoreCandidates(_space: SearchSpace, history: SearchHistory, candidates: readonly Configuration[]): number[] {
    const surrogate = this.surrogateOf(history.task);
    const observed = observedScores(history);
    const evaluated = withLiars(observed, history);
    const predicted = surrogate.predict([...candidates, ...observed.map((o) => o.config)], evaluated);
    const atCandidates = predicted.slice(0, candidates.length);
    const atObserved = predicted.slice(candidates.length);
    const incumbent = Math.max(...(atObserved.length > 0 ? atObserved : atCandidates).map((p) => p.mean));
    const inside = this.trustRegionOf(surrogate, candidates, evaluated.length);
    return atCandidates.map((p, i) => (inside === null || inside[i] ? expectedImprovement(p.mean, p.std, incumbent + this.xi) : -1));
  }

  /** @returns per candidate, whether it is among the trust region's (null: all are) */
  private trustRegionOf(surrogate: TaskSurrogateLike, candidates: readonly Configuration[], evaluations: number): boolean[] | null {
    if (this.trustRegion === 0 || candidates.length <= this.trustRegion || surrogate.zeroShot === undefined) return null;
    const scores = surrogate.zeroShot(candidates, evaluations);
    const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);
    const inside = candidates.map(() => false);
    for (const i of order.slice(0, this.trustRegion)) inside[i] = true;
    return inside;
  }

  /**
   * The candidates of one proposal: the anchors, space-filling samples and neighbours of the best trials,
   * without duplicates and without configurations the study has tried or is trying.
   */
  candidatePool(space: SearchSpace, history: SearchHistory, rng: Random): Configuration[] {
    const tried = new Set([...history.trials, ...history.pending].map((t) => t.configHash));
    const pool = new Map<string, Configuration>();
    const add = (config: Configuration) => {
      const hash = configHash(config);
      if (!tried.has(hash) && !pool.has(hash)) pool.set(hash, config);
    };
    for (const config of this.anchors) add(config);
    for (const config of space.sampleSpaceFilling(this.nCandidates, rng.int(2 ** 31))) add(config);
    for (const parent of bestTrials(history, this.nParents)) for (const config of space.neighbors(parent.config, rng)) add(config);
    return [...pool.values()];
  }

  /**
   * Builds the task's surrogate before a round of asks (once per task; it then caches the
   * candidates' embeddings), so that an unusable task fails before any trial is asked.
   * @throws StudyError when the history has no task meta-features
   */
  prepare(_space: SearchSpace, history: SearchHistory): Promise<void> {
    this.surrogateOf(history.task);
    return Promise.resolve();
  }

  /** @returns `sampler:meta` */
  originOf(): string {
    return 'sampler:meta';
  }

  toJSON(): JsonValue {
    return { name: this.name, model: this.model, anchors: this.anchors.length, nCandidates: this.nCandidates, nParents: this.nParents, xi: this.xi, trustRegion: this.trustRegion, independent: this.independentSampler.toJSON() };
  }

  /** The task's surrogate, built once per task and reused (it caches the candidates' embeddings). */
  private surrogateOf(task: StudyTask | undefined): TaskSurrogateLike {
    if (task?.metaFeatures === undefined) throw new StudyError("the meta sampler needs the task's meta-features (createStudy's task.metaFeatures)");
    const key = `${task.name}\u0000${JSON.stringify(task.metaFeatures)}`;
    if (this.cached?.key !== key) this.cached = { key, surrogate: this.source.surrogate(task.metaFeatures) };
    return this.cached.surrogate;
  }
}

/** Complete trials as observed scores, larger is better whatever the study's direction. */
function observedScores(history: SearchHistory): ObservedScore[] {
  const sign = history.direction === 'maximize' ? 1 : -1;
  return history.trials
    .filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value))
    .map((t) => ({ config: t.config, score: sign * (t.value ?? 0) }));
}

/** The observed scores plus each pending trial at the worst observed score (constant liar). */
function withLiars(observed: readonly ObservedScore[], history: SearchHistory): ObservedScore[] {
  if (observed.length === 0) return [];
  const worst = Math.min(...observed.map((o) => o.score));
  return [...observed, ...history.pending.map((t) => ({ config: t.config, score: worst }))];
}

/** The `n` best complete trials, best first. */
function bestTrials(history: SearchHistory, n: number): { config: Configuration }[] {
  return observedScores(history)
    .sort((a, b) => b.score - a.score)
    .slice(0, n);
}

/**
 * @param mean - predicted mean
 * @param std - predicted standard deviation
 * @param target - the value to improve on
 * @returns E[max(f − target, 0)] for f ~ N(mean, std²)
 */
export function expectedImprovement(mean: number, std: number, target: number): number {
  if (!(std > 1e-12)) return Math.max(mean - target, 0);
  const z = (mean - target) / std;
  return (mean - target) * normalCdf(z) + std * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf, |error| < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
