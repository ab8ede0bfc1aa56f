/**
 * The Tree-structured Parzen Estimator sampler (Bergstra et al. 2011), written after Optuna's
 * independent `TPESampler`: after `nStartupTrials` random draws, the finished trials are split
 * into the best `gamma(n)` and the rest, and each hyperparameter is drawn by fitting one Parzen
 * estimator l(x) to the good values and one g(x) to the others, drawing `nEiCandidates` values
 * from l and keeping the one with the largest l(x)/g(x).
 *
 * - **Conditions.** Hyperparameters are decided parents first (the space's activation order); an
 *   inactive one is never drawn, and an active one learns only from the trials where it was active.
 * - **Pruned trials** rank after complete ones, deeper ones first, by their last reported value.
 * - **Constant liar.** Pending trials count as the worst, so a batch of asks spreads out.
 * - **Forbiddens.** A forbidden proposal is redrawn; after 16 tries, a uniform draw.
 */
import type { Random } from '../../random.ts';
import type { Configuration, HyperparameterValue, SearchSpace } from '../../spaces/index.ts';
import { StudyError } from '../errors.ts';
import { lastIntermediate, type FrozenTrial, type JsonValue, type SearchHistory } from '../types.ts';
import { axisOf, type CategoricalAxis, type NumericAxis } from './axes.ts';
import { CategoricalParzen, NumericParzen, type ParzenSettings } from './parzen.ts';
import type { Sampler } from './sampler.ts';

/** Settings of {@link TPESampler}; defaults are Optuna's. */
export interface TPEOptions {
  /** Random draws before TPE starts (default 10). */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) per hyperparameter (default 24). */
  readonly nEiCandidates?: number;
  /** Weight of the prior kernel (default 1). */
  readonly priorWeight?: number;
  /** Clip bandwidths from below by 1/min(100, n+2) (default true). */
  readonly considerMagicClip?: boolean;
  /** Count pending trials as the worst observations (default true). */
  readonly constantLiar?: boolean;
}

const MAX_FORBIDDEN_RETRIES = 16;

/**
 * Optuna's default split: the best 10 %, at most 25.
 * @param n - number of ranked trials
 * @returns how many go to l(x)
 */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

interface Ranked {
  readonly trial: FrozenTrial;
  /** Lexicographic key: smaller is better. */
  readonly key: readonly [number, number];
}

function rankKey(trial: FrozenTrial, sign: number): readonly [number, number] | undefined {
  if (trial.state === 'complete') return trial.value === null ? undefined : [Number.NEGATIVE_INFINITY, sign * trial.value];
  if (trial.state === 'running') return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  if (trial.state !== 'pruned') return undefined;
  const last = lastIntermediate(trial);
  return last === undefined ? [Number.POSITIVE_INFINITY, 0] : [-last.step, sign * (last.value ?? Number.POSITIVE_INFINITY)];
}

/** Tree-structured Parzen Estimator; see the module comment. */
export class TPESampler implements Sampler {
  readonly name = 'tpe';
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly constantLiar: boolean;
  private readonly parzen: ParzenSettings;

  /**
   * @param options - see {@link TPEOptions}
   * @throws StudyError for a negative count or prior weight
   */
  constructor(options: TPEOptions = {}) {
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.nEiCandidates = options.nEiCandidates ?? 24;
    this.constantLiar = options.constantLiar ?? true;
    this.parzen = { priorWeight: options.priorWeight ?? 1, considerMagicClip: options.considerMagicClip ?? true };
    if (!Number.isInteger(this.nStartupTrials) || this.nStartupTrials < 0) throw new StudyError(`tpe: nStartupTrials must be an integer ≥ 0, got ${this.nStartupTrials}`);
    if (!Number.isInteger(this.nEiCandidates) || this.nEiCandidates < 1) throw new StudyError(`tpe: nEiCandidates must be an integer ≥ 1, got ${this.nEiCandidates}`);
    if (!(this.parzen.priorWeight > 0)) throw new StudyError(`tpe: priorWeight must be > 0, got ${this.parzen.priorWeight}`);
  }

  /**
   * @param space - the search space
   * @param history - finished and pending trials
   * @param rng - the random stream
   * @returns a legal configuration
   */
  sample(space: SearchSpace, history: SearchHistory, rng: Random): Configuration {
    const finished = history.trials.filter((t) => rankKey(t, 1) !== undefined);
    if (finished.length < this.nStartupTrials || finished.length === 0) return space.sampleRandom(rng, 1)[0];
    const { below, above } = this.split(history);
    for (let attempt = 0; attempt < MAX_FORBIDDEN_RETRIES; attempt++) {
      const config = this.propose(space, below, above, rng);
      if (!space.isForbidden(config)) return config;
    }
    return space.sampleRandom(rng, 1)[0];
  }

  /** Splits finished (and, with the constant liar, pending) trials into good and bad, by number. */
  private split(history: SearchHistory): { below: FrozenTrial[]; above: FrozenTrial[] } {
    const sign = history.direction === 'minimize' ? 1 : -1;
    const candidates = this.constantLiar ? [...history.trials, ...history.pending] : history.trials;
    const ranked: Ranked[] = [];
    for (const trial of candidates) {
      const key = rankKey(trial, sign);
      if (key !== undefined) ranked.push({ trial, key });
    }
    ranked.sort((a, b) => a.key[0] - b.key[0] || compareValues(a.key[1], b.key[1]) || a.trial.number - b.trial.number);
    const nBelow = defaultGamma(ranked.length);
    const byNumber = (a: FrozenTrial, b: FrozenTrial) => a.number - b.number;
    return {
      below: ranked.slice(0, nBelow).map((r) => r.trial).sort(byNumber),
      above: ranked.slice(nBelow).map((r) => r.trial).sort(byNumber),
    };
  }

  private propose(space: SearchSpace, below: readonly FrozenTrial[], above: readonly FrozenTrial[], rng: Random): Configuration {
    const assignment: Record<string, HyperparameterValue> = {};
    for (const hp of space.activationOrder) {
      if (!space.isActive(hp.name, assignment)) continue;
      const axis = axisOf(hp);
      if (axis.kind === 'constant') assignment[hp.name] = axis.value;
      else if (axis.kind === 'numeric') assignment[hp.name] = this.sampleNumeric(axis, below, above, rng);
      else assignment[hp.name] = this.sampleCategorical(axis, below, above, rng);
    }
    return space.applyConditions(assignment);
  }

  private sampleNumeric(axis: NumericAxis, below: readonly FrozenTrial[], above: readonly FrozenTrial[], rng: Random): HyperparameterValue {
    const observe = (trials: readonly FrozenTrial[]) => valuesOf(trials, axis.name).map((v) => axis.encode(v));
    const l = new NumericParzen(observe(below), this.parzen);
    const g = new NumericParzen(observe(above), this.parzen);
    let best = Number.NaN;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const u of l.sample(rng, this.nEiCandidates)) {
      const bucket = axis.bucket(u);
      const score = l.logDensity(u, bucket) - g.logDensity(u, bucket);
      if (score > bestScore || Number.isNaN(best)) {
        best = u;
        bestScore = score;
      }
    }
    return axis.decode(best);
  }

  private sampleCategorical(axis: CategoricalAxis, below: readonly FrozenTrial[], above: readonly FrozenTrial[], rng: Random): HyperparameterValue {
    const observe = (trials: readonly FrozenTrial[]) =>
      valuesOf(trials, axis.name).map((v) => axis.choices.indexOf(v)).filter((i) => i >= 0);
    const k = axis.choices.length;
    const l = new CategoricalParzen(observe(below), k, this.parzen);
    const g = new CategoricalParzen(observe(above), k, this.parzen);
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const c of l.sample(rng, this.nEiCandidates)) {
      const score = l.logProbability(c) - g.logProbability(c);
      if (score > bestScore || best < 0) {
        best = c;
        bestScore = score;
      }
    }
    return axis.choices[best];
  }

  /** @returns the sampler's name and settings */
  toJSON(): JsonValue {
    return {
      name: this.name,
      nStartupTrials: this.nStartupTrials,
      nEiCandidates: this.nEiCandidates,
      priorWeight: this.parzen.priorWeight,
      considerMagicClip: this.parzen.considerMagicClip,
      constantLiar: this.constantLiar,
    };
  }
}

function compareValues(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function valuesOf(trials: readonly FrozenTrial[], name: string): HyperparameterValue[] {
  const out: HyperparameterValue[] = [];
  for (const t of trials) {
    const v = t.config[name];
    if (v !== undefined) out.push(v);
  }
  return out;
}
