/**
 * The sampler plug-in point: given the search space, the study's history and a seeded random
 * stream, propose the next configuration. Implementations, one file each: `random.ts` (the
 * baseline), `tpe.ts` (Tree-structured Parzen Estimator). A meta-learning sampler (Bayesian
 * optimisation with a meta-model as surrogate) reads the task's meta-features from
 * `history.task` and may do asynchronous work (fitting a surrogate) in `prepare`.
 */
import type { Random } from '../../random.ts';
import type { Configuration, SearchSpace } from '../../spaces/index.ts';
import type { JsonValue, SearchHistory } from '../types.ts';

/** Proposes configurations. */
export interface Sampler {
  /** Short name; trials it proposes get the origin `sampler:<name>`. */
  readonly name: string;

  /**
   * Proposes one configuration. Must be deterministic in (`space`, `history`, `rng`'s state), must
   * return a legal configuration of `space` (only active hyperparameters, no forbidden match), and
   * should avoid the configurations of `history.pending`, which are being evaluated now.
   * @param space - the search space
   * @param history - finished and pending trials, the direction and the task
   * @param rng - the random stream for this proposal
   * @returns a configuration of `space`
   */
  sample(space: SearchSpace, history: SearchHistory, rng: Random): Configuration;

  /**
   * Optional: the origin of the next proposal when it is not `sampler:<name>`, e.g. TPE's random
   * start-up draws are `sampler:tpe:startup`. Called with the history `sample` will get.
   */
  originOf?(history: SearchHistory): string;

  /**
   * Optional asynchronous work before the next proposals, given the same history (e.g. fine-tuning
   * a surrogate model). `optimize` awaits it before each round of asks; direct users of `ask`
   * call `await study.prepareSampler()`.
   */
  prepare?(space: SearchSpace, history: SearchHistory): Promise<void>;

  /**
   * Optional: scores given candidate configurations (larger is more promising) instead of
   * proposing a new one, for choosing among a finite set (HPO-B's protocol, where every method
   * picks among a task's evaluated configurations).
   */
  scoreCandidates?(space: SearchSpace, history: SearchHistory, candidates: readonly Configuration[], rng: Random): number[];

  /**
   * Optional: false when the sampler cannot serve a define-by-run study. A define-by-run study
   * asks `sample` for one parameter at a time, with a space of that parameter alone (named `x`)
   * and the finished trials that have it (Optuna's independent sampling); a sampler that reads
   * only the space and the history (random, TPE) needs nothing more. A sampler that scores only
   * whole configurations of a known space (meta) names an `independentSampler` instead.
   */
  readonly defineByRun?: boolean;

  /**
   * Optional: makes the sampler relative in a define-by-run study (`src/search/relative.ts`): once
   * the study's space is stored under its `spaceName`, the sampler proposes one whole configuration
   * of it per trial; this sampler draws every parameter outside that proposal, and all of them
   * before the space is stored.
   */
  readonly independentSampler?: Sampler;

  /** @returns the sampler's name and settings, stored with the study */
  toJSON(): JsonValue;
}
