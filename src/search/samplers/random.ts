/** The baseline sampler: independent uniform draws from the space (log axis for `log`). */
import type { Random } from '../../random.ts';
import type { Configuration, SearchSpace } from '../../spaces/index.ts';
import type { JsonValue, SearchHistory } from '../types.ts';
import type { Sampler } from './sampler.ts';

/** Draws every configuration uniformly at random, ignoring the history. */
export class RandomSampler implements Sampler {
  readonly name = 'random';

  /**
   * @param space - the search space
   * @param _history - ignored
   * @param rng - the random stream
   * @returns a uniform draw (conditions applied, forbidden draws redrawn)
   */
  sample(space: SearchSpace, _history: SearchHistory, rng: Random): Configuration {
    return space.sampleRandom(rng, 1)[0];
  }

  /** @returns `{ name: 'random' }` */
  toJSON(): JsonValue {
    return { name: this.name };
  }
}
