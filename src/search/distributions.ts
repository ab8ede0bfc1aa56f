/**
 * The distributions of define-by-run parameters (`trial.suggestFloat`, `suggestInt`,
 * `suggestCategorical`), as Optuna records them with each value, and how a sampler sees one: a
 * search space of a single hyperparameter (named `x`), so that every sampler written for declared
 * spaces samples a define-by-run parameter on its own (Optuna's independent sampling).
 *
 * A float or integer with a `step` becomes an ordinal of its grid `low, low + step, …` (TPE then
 * treats it as a numeric axis with one bucket per grid point); an integer without a step is a
 * `uniform_int` (log scale allowed), a float without a step a `uniform_float`.
 */
import type { HyperparameterValue } from '../spaces/index.ts';
import { SearchSpace, type Hyperparameter } from '../spaces/index.ts';
import { StudyError } from './errors.ts';

/** A float in [low, high], log-uniform with `log`, on the grid `low + k·step` with `step`. */
export interface FloatDistribution {
  readonly type: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number | null;
}

/** An integer in [low, high], log-uniform with `log`, on the grid `low + k·step` (step ≥ 1). */
export interface IntDistribution {
  readonly type: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
}

/** One of `choices`. */
export interface CategoricalDistribution {
  readonly type: 'categorical';
  readonly choices: readonly HyperparameterValue[];
}

export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** Options of `suggestFloat` and `suggestInt`. */
export interface SuggestNumberOptions {
  /** Log-uniform (low > 0; not with a step). */
  readonly log?: boolean;
  /** Grid spacing from `low` (a float's default none, an integer's 1). */
  readonly step?: number;
}

/** The most grid points of a stepped float or integer (a larger grid: drop the step, or widen it). */
const MAX_GRID_POINTS = 100_000;

function grid(low: number, high: number, step: number): number[] {
  const n = Math.floor((high - low) / step + 1e-9);
  if (n + 1 > MAX_GRID_POINTS) throw new StudyError(`a step of ${step} over [${low}, ${high}] makes ${n + 1} values; at most ${MAX_GRID_POINTS}`);
  // rounded to 12 significant digits so that 0.1 + 2·0.1 reads 0.3
  return Array.from({ length: n + 1 }, (_, k) => Number((low + k * step).toPrecision(12)));
}

/**
 * @returns the checked distribution of `suggestFloat(name, low, high, options)`
 * @throws StudyError for a bad range, log with a non-positive low, or log with a step
 */
export function floatDistribution(name: string, low: number, high: number, options: SuggestNumberOptions = {}): FloatDistribution {
  const log = options.log ?? false;
  const step = options.step ?? null;
  checkRange(name, low, high, log, step);
  if (step !== null) grid(low, high, step);
  return { type: 'float', low, high, log, step };
}

/**
 * @returns the checked distribution of `suggestInt(name, low, high, options)`
 * @throws StudyError for non-integer bounds or step, a bad range, or log with a step other than 1
 */
export function intDistribution(name: string, low: number, high: number, options: SuggestNumberOptions = {}): IntDistribution {
  const log = options.log ?? false;
  const step = options.step ?? 1;
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) throw new StudyError(`suggestInt('${name}'): low and high must be integers, got ${low} and ${high}`);
  if (!Number.isSafeInteger(step) || step < 1) throw new StudyError(`suggestInt('${name}'): step must be an integer ≥ 1, got ${step}`);
  checkRange(name, low, high, log, step === 1 ? null : step);
  if (step !== 1) grid(low, high, step);
  return { type: 'int', low, high, log, step };
}

/**
 * @returns the checked distribution of `suggestCategorical(name, choices)`
 * @throws StudyError for no choices, a repeated choice, or a choice that is not a string, finite number or boolean
 */
export function categoricalDistribution(name: string, choices: readonly HyperparameterValue[]): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) throw new StudyError(`suggestCategorical('${name}'): choices must be a non-empty array`);
  for (const c of choices) {
    const ok = typeof c === 'string' || typeof c === 'boolean' || (typeof c === 'number' && Number.isFinite(c));
    if (!ok) throw new StudyError(`suggestCategorical('${name}'): a choice must be a string, a finite number or a boolean, got ${String(c)}`);
  }
  if (new Set(choices).size !== choices.length) throw new StudyError(`suggestCategorical('${name}'): choices repeat a value`);
  return { type: 'categorical', choices: [...choices] };
}

function checkRange(name: string, low: number, high: number, log: boolean, step: number | null): void {
  const call = `suggest('${name}')`;
  if (!Number.isFinite(low) || !Number.isFinite(high) || low > high) throw new StudyError(`${call}: need finite low ≤ high, got [${low}, ${high}]`);
  if (log && low <= 0) throw new StudyError(`${call}: a log scale needs low > 0, got ${low}`);
  if (log && step !== null) throw new StudyError(`${call}: log and step cannot be combined`);
  if (step !== null && !(step > 0 && Number.isFinite(step))) throw new StudyError(`${call}: step must be > 0, got ${step}`);
}

/** @returns whether two distributions are the same (kind, bounds, scale, step, choices in order) */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** @returns e.g. `float in [0.001, 1] (log)` or `categorical of "a", "b"` */
export function describeDistribution(d: Distribution): string {
  if (d.type === 'categorical') return `categorical of ${d.choices.map((c) => JSON.stringify(c)).join(', ')}`;
  const extras = [d.log ? 'log' : '', d.step !== null && !(d.type === 'int' && d.step === 1) ? `step ${d.step}` : ''].filter((s) => s !== '');
  return `${d.type} in [${d.low}, ${d.high}]${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
}

/** @returns whether `value` is a value of the distribution */
export function containsValue(d: Distribution, value: unknown): value is HyperparameterValue {
  if (d.type === 'categorical') return d.choices.some((c) => c === value);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < d.low || value > d.high) return false;
  if (d.type === 'int' && !Number.isInteger(value)) return false;
  if (d.step === null || (d.type === 'int' && d.step === 1)) return true;
  const k = (value - d.low) / d.step;
  return Math.abs(k - Math.round(k)) < 1e-6;
}

/** The name of the single hyperparameter of {@link distributionSpace}. */
export const SINGLE_PARAMETER = 'x';

/** @returns the hyperparameter `x` a sampler draws for the distribution */
export function distributionHyperparameter(d: Distribution): Hyperparameter {
  const name = SINGLE_PARAMETER;
  if (d.type === 'categorical') return { type: 'categorical', name, choices: d.choices, defaultValue: d.choices[0] };
  if (d.low === d.high) return { type: 'constant', name, value: d.low, defaultValue: d.low };
  if (d.type === 'int' && d.step === 1) return { type: 'uniform_int', name, lower: d.low, upper: d.high, log: d.log, defaultValue: d.low, fidelity: false };
  if (d.step !== null) {
    const sequence = grid(d.low, d.high, d.step);
    return sequence.length === 1 ? { type: 'constant', name, value: sequence[0], defaultValue: sequence[0] } : { type: 'ordinal', name, sequence, defaultValue: sequence[0] };
  }
  return { type: 'uniform_float', name, lower: d.low, upper: d.high, log: d.log, defaultValue: d.low };
}

/** @returns a search space of one hyperparameter `x` with the distribution's values */
export function distributionSpace(d: Distribution): SearchSpace {
  return new SearchSpace({ name: 'define-by-run', formatVersion: 1, description: '', hyperparameters: [distributionHyperparameter(d)], conditions: [], forbiddens: [] });
}

/** @returns whether a declared hyperparameter can answer a suggest call of the distribution's kind */
export function declaredKindMatches(hp: Hyperparameter, d: Distribution): boolean {
  if (d.type === 'float') return hp.type === 'uniform_float' || hp.type === 'constant' || hp.type === 'ordinal';
  if (d.type === 'int') return hp.type === 'uniform_int' || hp.type === 'constant' || hp.type === 'ordinal';
  return hp.type === 'categorical' || hp.type === 'ordinal' || hp.type === 'constant';
}
