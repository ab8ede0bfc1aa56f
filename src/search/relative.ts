/**
 * Relative sampling in a define-by-run study (Optuna's `sample_relative`), for a sampler that can
 * only score whole configurations of a known space — the meta sampler, whose meta-model was
 * trained on one space. Such a sampler names an `independentSampler`. When the study's space is
 * known — the space its `spaceName` names is stored in the meta-knowledge store (what a teaching
 * study discovers and stores, and what `meta-train --space NAME` trains on) — the sampler proposes
 * one whole configuration of that space per trial, given the finished trials that fit it, and each
 * `suggest*` call returns the proposal's value when it lies in the distribution asked. Every other
 * parameter (unknown to the stored space, outside the distribution, or all of them while no space
 * is stored) is drawn by the independent sampler, as TPE or random draw them. A trial's origin says
 * which: `sampler:<name>` with a known space, `sampler:<name>:<independent name>` without one.
 */
import { deriveSeed, Random } from '../random.ts';
import { ParseContext, parseSearchSpace, type Configuration, type SearchSpace } from '../spaces/index.ts';
import { MetaStoreStudyStorage } from './metastore-storage.ts';
import type { Sampler } from './samplers/sampler.ts';
import type { StudyStorage } from './storage.ts';
import type { FrozenTrial, SearchHistory } from './types.ts';

/**
 * @param storage - the study's storage
 * @param spaceName - the name the study's space is stored under
 * @returns the latest stored version of that space, or undefined (none stored, or not a meta-knowledge store)
 */
export function storedSpace(storage: StudyStorage, spaceName: string): SearchSpace | undefined {
  if (!(storage instanceof MetaStoreStudyStorage)) return undefined;
  const stored = storage.store.getSearchSpace(spaceName);
  if (stored === undefined) return undefined;
  return parseSearchSpace(stored.definition, new ParseContext(`stored search space '${spaceName}'`));
}

/** @returns whether the configuration is legal in the space */
function fits(space: SearchSpace, config: Configuration): boolean {
  try {
    space.validateConfiguration(config);
    return true;
  } catch {
    return false;
  }
}

/**
 * The sampler's whole-configuration proposal for one trial of a define-by-run study.
 * @param sampler - a sampler with an `independentSampler`
 * @param space - the study's known space ({@link storedSpace})
 * @param trials - the study's trials (finished ones that fit the space are its history)
 * @param base - direction and task of the history
 * @param seed - the study's seed; the proposal draws from `deriveSeed(seed, 'relative', number)`
 * @param number - the trial's number
 * @returns a configuration of `space`
 */
export function relativeProposal(sampler: Sampler, space: SearchSpace, trials: readonly FrozenTrial[], base: Pick<SearchHistory, 'direction' | 'task'>, seed: number, number: number): Configuration {
  const history: SearchHistory = {
    ...base,
    trials: trials.filter((t) => t.state !== 'running' && t.number !== number && fits(space, t.config)),
    pending: [],
  };
  return sampler.sample(space, history, new Random(deriveSeed(seed, 'relative', number)));
}
