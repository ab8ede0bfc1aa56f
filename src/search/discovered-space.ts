/**
 * The space a define-by-run study discovers, so that its trials can be stored as evaluations in
 * a named space (`teach.ts`): one hyperparameter per parameter name its trials suggested, merged
 * with the space stored before under that name (ranges widened, choices united), and a condition
 * for each parameter that some trials lack, inferred from the trials: `p` is active when the
 * categorical `q` takes one of the values it had whenever `p` was suggested, provided `q` never
 * took those values in a trial without `p`. A parameter whose presence no categorical explains
 * stays unconditional (trials that lack it do not fit the space and are left out by the meta-models).
 */
import { SearchSpace, type Condition, type Configuration, type Hyperparameter, type HyperparameterValue } from '../spaces/index.ts';
import { HYPERPARAMETER_NAME } from '../spaces/parse-hyperparameter.ts';
import { distributionHyperparameter, type Distribution } from './distributions.ts';


/** @returns whether a define-by-run parameter name can be a hyperparameter of a stored space */
export function isSpaceName(name: string): boolean {
  return HYPERPARAMETER_NAME.test(name);
}

function rename(hp: Hyperparameter, name: string): Hyperparameter {
  return { ...hp, name };
}

function withDefault(hp: Hyperparameter): Hyperparameter {
  switch (hp.type) {
    case 'uniform_float':
    case 'uniform_int':
      return { ...hp, defaultValue: hp.lower };
    case 'categorical':
      return { ...hp, defaultValue: hp.choices[0] };
    case 'ordinal':
      return { ...hp, defaultValue: hp.sequence[0] };
    case 'constant':
      return hp;
  }
}

/** Merges an earlier hyperparameter of a name with a newer one: ranges widened, choices united; a change of type keeps the newer. */
function merge(old: Hyperparameter, next: Hyperparameter): Hyperparameter {
  if ((old.type === 'uniform_float' && next.type === 'uniform_float') || (old.type === 'uniform_int' && next.type === 'uniform_int')) {
    return withDefault({ ...next, lower: Math.min(old.lower, next.lower), upper: Math.max(old.upper, next.upper), log: old.log && next.log } as Hyperparameter);
  }
  if (old.type === 'categorical' && next.type === 'categorical') {
    return withDefault({ ...next, choices: [...old.choices, ...next.choices.filter((c) => !old.choices.includes(c))] });
  }
  if (old.type === 'ordinal' && next.type === 'ordinal') {
    const sequence = [...new Set([...old.sequence, ...next.sequence])].sort((a, b) => Number(a) - Number(b));
    return withDefault({ ...next, sequence });
  }
  return next;
}

/**
 * @param name - the space's name
 * @param previous - the space stored under that name before, if any
 * @param distributions - the distributions of the trial being stored (name → distribution)
 * @param configs - the parameters of every trial stored in the space (every study's), the new one included
 * @returns the discovered space
 */
export function discoverSpace(name: string, previous: SearchSpace | undefined, distributions: ReadonlyMap<string, Distribution>, configs: readonly Configuration[]): SearchSpace {
  const trials = configs.map((config) => ({ config }));
  const hps = new Map<string, Hyperparameter>();
  for (const hp of previous?.hyperparameters ?? []) hps.set(hp.name, hp);
  for (const [param, d] of distributions) {
    const next = withDefault(rename(distributionHyperparameter(d), param));
    const old = hps.get(param);
    hps.set(param, old === undefined ? next : merge(old, next));
  }
  const names = [...hps.keys()];
  const present = (p: string) => trials.filter((t) => t.config[p] !== undefined);
  const counts = new Map(names.map((p) => [p, present(p).length]));
  const conditions: Condition[] = [];
  for (const p of names) {
    const withP = present(p);
    if (withP.length === trials.length || withP.length === 0) continue;
    const withoutP = trials.filter((t) => t.config[p] === undefined);
    const parents = names
      .filter((q) => q !== p && hps.get(q)?.type === 'categorical' && (counts.get(q) ?? 0) > withP.length && withP.every((t) => t.config[q] !== undefined))
      .sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || (a < b ? -1 : 1));
    for (const q of parents) {
      const values = [...new Set(withP.map((t) => t.config[q] as HyperparameterValue))];
      if (withoutP.some((t) => t.config[q] !== undefined && values.includes(t.config[q] as HyperparameterValue))) continue;
      conditions.push(values.length === 1 ? { child: p, when: { type: 'equals', parent: q, value: values[0] } } : { child: p, when: { type: 'in', parent: q, values } });
      break;
    }
  }
  return new SearchSpace({
    name, formatVersion: 1, description: 'discovered by a define-by-run study',
    hyperparameters: names.map((p) => hps.get(p) as Hyperparameter), conditions, forbiddens: [],
  });
}
