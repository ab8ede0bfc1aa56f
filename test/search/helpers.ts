/** Shared pieces of the search tests: the mlp space, a synthetic objective, a study runner. */
import { loadSearchSpace, parseSearchSpace, type Configuration, type SearchSpace } from '../../src/spaces/index.ts';
import { createStudy, type CreateStudyOptions } from '../../src/search/open-study.ts';
import type { Sampler } from '../../src/search/samplers/sampler.ts';
import type { Study } from '../../src/search/study.ts';

export const mlp: SearchSpace = loadSearchSpace('mlp');

/** Optimum of the bowl in normalised coordinates (off-centre, away from the bounds). */
const CENTRE = [0.8, 0.3, 0.7, 0.2, 0.65, 1, 0.25, 0.4, 0.6, 0.35, 0, 0.5, 0.45, 0.75];

/**
 * A quadratic bowl over the space's normalised vector, to minimise: Σ (x_i − c_i)² over active
 * coordinates (inactive ones add a constant 0.1), minimum 0.
 */
export function bowl(space: SearchSpace, config: Configuration): number {
  const x = space.toVector(config);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += Number.isNaN(x[i]) ? 0.1 : (x[i] - CENTRE[i % CENTRE.length]) ** 2;
  return sum;
}

/** Runs `n` sequential ask/tell rounds of the bowl and returns the study. */
export function runBowl(sampler: Sampler, seed: number, n: number, extra: Partial<CreateStudyOptions> = {}): Study {
  const study = createStudy({ space: mlp, direction: 'minimize', sampler, seed, ...extra });
  for (let i = 0; i < n; i++) {
    const trial = study.ask();
    study.tell(trial, { value: bowl(study.space, trial.config) });
  }
  return study;
}

/** The mlp space with a second condition and forbiddens, so that samplers have something to respect. */
export function constrainedMlp(): SearchSpace {
  return parseSearchSpace({
    name: 'mlp-constrained',
    format_version: 1,
    hyperparameters: mlp.definition.hyperparameters.map((hp) => {
      const { defaultValue, ...rest } = hp;
      return hp.type === 'constant' ? rest : { ...rest, default_value: defaultValue };
    }),
    conditions: [
      { child: 'momentum', type: 'equals', parent: 'optimizer', value: 'sgd-momentum' },
      {
        child: 'lr_decay',
        type: 'and',
        conditions: [
          { type: 'equals', parent: 'lr_schedule', value: 'exponential' },
          { type: 'greater_than', parent: 'max_epochs', value: 10 },
        ],
      },
    ],
    forbiddens: [
      { type: 'and', clauses: [{ type: 'equals', name: 'optimizer', value: 'sgd' }, { type: 'equals', name: 'batch_norm', value: true }] },
      { type: 'in', name: 'n_layers', values: [4] },
      { type: 'and', clauses: [{ type: 'equals', name: 'optimizer', value: 'sgd-momentum' }, { type: 'in', name: 'activation', values: ['tanh', 'gelu'] }] },
    ],
  });
}
