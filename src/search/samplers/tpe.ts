/**
 * The Tree-structured Parzen Estimator sampler (Bergstra et al. 2011), written after Optuna's
 * `TPESampler`: after `nStartupTrials` random draws, trials are ranked, the best `gamma(n)` fit
 * a Parzen estimator l(x) and the rest g(x), `nEiCandidates` points are drawn from l, and the one
 * with the largest l(x)/g(x) is kept.
 *
 * - **Multivariate** (default): the hyperparameters of one activity group jointly (see
 *   `tpe-groups.ts`). **Independent** (Optuna's default): one hyperparameter at a time.
 * - **Conditions.** Groups are decided parents first; an inactive hyperparameter is never drawn,
 *   and an active one learns only from the trials where it was active.
 * - **Pruned trials** rank after complete ones, deeper ones first, by their last reported value.
 * - **Constant liar.** Pending trials rank as the worst, so a batch of asks spreads out.
 * - **Forbiddens.** A forbidden proposal is redrawn; after 16 tries, a uniform draw.
 */
import type { Random } from '../../random.ts';
import type { Configuration, HyperparameterValue, SearchSpace } from '../../spaces/index.ts';
import { StudyError } from '../errors.ts';
import { lastIntermediate, type FrozenTrial, type JsonValue, type SearchHistory } from '../types.ts';
import type { TpeAxis } from './axes.ts';
import { bandwidths, CategoricalKernels, NumericKernels, ParzenMixture, type KernelSet, type ParzenSettings } from './parzen.ts';
import type { Sampler } from './sampler.ts';
import { axisGroups, type AxisGroup } from './tpe-groups.ts';

/** Settings of {@link TPESampler}; defaults are Optuna's. */
export interface TPEOptions {
  /** Random draws before TPE starts (default 10). */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) (default 24). */
  readonly nEiCandidates?: number;
  /** Weight of the prior component (default 1). */
  readonly priorWeight?: number;
  /** Clip bandwidths from below by 1/min(100, n+2) (default true). */
  readonly considerMagicClip?: boolean;
  /** Count pending trials as the worst observations (default true). */
  readonly constantLiar?: boolean;
  /**
   * Draw each activity group jointly (default true; Optuna's default is independent, but joint
   * draws found lower values on the synthetic bowl of the tests, as Optuna's own multivariate
   * TPE does: see `src/search/README.md`).
   */
  readonly multivariate?: boolean;
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

/**
 * Lexicographic rank key, smaller is better: complete trials by value, then pruned ones (deeper
 * first, then by their last value), then pending ones; undefined for trials that do not rank.
 */
function rankKey(trial: FrozenTrial, sign: number): readonly [number, number] | undefined {
  if (trial.state === 'complete') return trial.value === null ? undefined : [Number.NEGATIVE_INFINITY, sign * trial.value];
  if (trial.state === 'running') return [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  if (trial.state !== 'pruned') return undefined;
  const last = lastIntermediate(trial);
  return last === undefined ? [Number.POSITIVE_INFINITY, 0] : [-last.step, sign * (last.value ?? Number.POSITIVE_INFINITY)];
}

function compareKeys(a: readonly [number, number], b: readonly [number, number]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] === b[1] ? 0 : a[1] < b[1] ? -1 : 1;
}

/** The estimators of one group. */
interface FittedGroup {
  readonly drawn: readonly TpeAxis[];
  readonly l: ParzenMixture;
  readonly g: ParzenMixture;
}

interface Split {
  readonly below: readonly FrozenTrial[];
  readonly above: readonly FrozenTrial[];
}

/**
 * Splits ranked trials (best first) into the best gamma(n) and the rest, each by number; n counts
 * finished trials only, so pending ones (ranked last) always go to g.
 */
function splitRanked(ranked: readonly FrozenTrial[]): Split {
  const nBelow = defaultGamma(ranked.filter((t) => t.state !== 'running').length);
  const byNumber = (a: FrozenTrial, b: FrozenTrial) => a.number - b.number;
  return { below: ranked.slice(0, nBelow).sort(byNumber), above: ranked.slice(nBelow).sort(byNumber) };
}

/** Tree-structured Parzen Estimator; see the module comment. */
export class TPESampler implements Sampler {
  readonly name = 'tpe';
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly constantLiar: boolean;
  readonly multivariate: boolean;
  private readonly parzen: ParzenSettings;

  /**
   * @param options - see {@link TPEOptions}
   * @throws StudyError for a negative count or a non-positive prior weight
   */
  constructor(options: TPEOptions = {}) {
    this.nStartupTrials = options.nStartupTrials ?? 10;
    this.nEiCandidates = options.nEiCandidates ?? 24;
    this.constantLiar = options.constantLiar ?? true;
    this.multivariate = options.multivariate ?? true;
    this.parzen = { priorWeight: options.priorWeight ?? 1, considerMagicClip: options.considerMagicClip ?? true };
    if (!Number.isInteger(this.nStartupTrials) || this.nStartupTrials < 0) throw new StudyError(`tpe: nStartupTrials must be an integer ≥ 0, got ${this.nStartupTrials}`);
    if (!Number.isInteger(this.nEiCandidates) || this.nEiCandidates < 1) throw new StudyError(`tpe: nEiCandidates must be an integer ≥ 1, got ${this.nEiCandidates}`);
    if (!(this.parzen.priorWeight > 0)) throw new StudyError(`tpe: priorWeight must be > 0, got ${this.parzen.priorWeight}`);
  }

  /** @returns `sampler:tpe:startup` while the start-up draws are random, else `sampler:tpe` */
  originOf(history: SearchHistory): string {
    return this.inStartup(history) ? 'sampler:tpe:startup' : 'sampler:tpe';
  }

  private inStartup(history: SearchHistory): boolean {
    return history.trials.filter((t) => rankKey(t, 1) !== undefined).length < Math.max(this.nStartupTrials, 1);
  }

  /**
   * @param space - the search space
   * @param history - finished and pending trials
   * @param rng - the random stream
   * @returns a legal configuration
   */
  sample(space: SearchSpace, history: SearchHistory, rng: Random): Configuration {
    if (this.inStartup(history)) return space.sampleRandom(rng, 1)[0];
    const split = splitRanked(this.rank(history));
    const groups = axisGroups(space, this.multivariate);
    for (let attempt = 0; attempt < MAX_FORBIDDEN_RETRIES; attempt++) {
      const config = this.propose(space, groups, split, rng);
      if (!space.isForbidden(config)) return config;
    }
    return space.sampleRandom(rng, 1)[0];
  }

  /** Finished (and, with the constant liar, pending) trials that rank, best first. */
  private rank(history: SearchHistory): FrozenTrial[] {
    const sign = history.direction === 'minimize' ? 1 : -1;
    const candidates = this.constantLiar ? [...history.trials, ...history.pending] : history.trials;
    const keyed: { trial: FrozenTrial; key: readonly [number, number] }[] = [];
    for (const trial of candidates) {
      const key = rankKey(trial, sign);
      if (key !== undefined) keyed.push({ trial, key });
    }
    keyed.sort((a, b) => compareKeys(a.key, b.key) || a.trial.number - b.trial.number);
    return keyed.map((k) => k.trial);
  }

  /**
   * Scores given candidates instead of drawing new ones (for choosing among a finite set, as in
   * HPO-B's protocol): the sum over the candidate's active groups of log l(x)/g(x); during the
   * start-up phase, uniform random scores.
   * @param space - the search space
   * @param history - finished and pending trials
   * @param candidates - legal configurations of `space`
   * @param rng - the random stream (used during start-up only)
   * @returns one score per candidate; larger is more promising
   */
  scoreCandidates(space: SearchSpace, history: SearchHistory, candidates: readonly Configuration[], rng: Random): number[] {
    if (this.inStartup(history)) return candidates.map(() => rng.next());
    const split = splitRanked(this.rank(history));
    const scores = candidates.map(() => 0);
    for (const group of axisGroups(space, this.multivariate)) {
      const fitted = this.fitGroup(group, split);
      if (fitted === undefined) continue;
      candidates.forEach((config, i) => {
        if (config[group.witness] === undefined) return;
        const point = fitted.drawn.map((axis) => encode(axis, config[axis.name]));
        scores[i] += fitted.l.logDensity(point) - fitted.g.logDensity(point);
      });
    }
    return scores;
  }

  private propose(space: SearchSpace, groups: readonly AxisGroup[], split: Split, rng: Random): Configuration {
    const assignment: Record<string, HyperparameterValue> = {};
    for (const group of groups) {
      if (!space.isActive(group.witness, assignment)) continue;
      for (const axis of group.axes) if (axis.kind === 'constant') assignment[axis.name] = axis.value;
      const fitted = this.fitGroup(group, split);
      if (fitted !== undefined) Object.assign(assignment, this.drawGroup(fitted, rng));
    }
    return space.applyConditions(assignment);
  }

  /**
   * Fits l and g for one group to the trials of each side where the group was active (the split
   * is over all trials, as in Optuna). Undefined for a group of constants.
   */
  private fitGroup(group: AxisGroup, split: Split): FittedGroup | undefined {
    const drawn = group.axes.filter((a) => a.kind !== 'constant');
    if (drawn.length === 0) return undefined;
    const active = (t: FrozenTrial) => t.config[group.witness] !== undefined;
    return { drawn, l: this.mixture(drawn, split.below.filter(active)), g: this.mixture(drawn, split.above.filter(active)) };
  }

  /** Draws candidates from l and keeps the one with the largest l/g. */
  private drawGroup(fitted: FittedGroup, rng: Random): Record<string, HyperparameterValue> {
    let best: number[] | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const point of fitted.l.sample(rng, this.nEiCandidates)) {
      const score = fitted.l.logDensity(point) - fitted.g.logDensity(point);
      if (best === undefined || score > bestScore) {
        best = point;
        bestScore = score;
      }
    }
    const out: Record<string, HyperparameterValue> = {};
    fitted.drawn.forEach((axis, d) => (out[axis.name] = decode(axis, best?.[d] ?? 0.5)));
    return out;
  }

  /** Fits a Parzen mixture over `axes` to the trials' values. */
  private mixture(axes: readonly TpeAxis[], trials: readonly FrozenTrial[]): ParzenMixture {
    const n = trials.length;
    const kernels = axes.map((axis): KernelSet => {
      const values = trials.map((t) => t.config[axis.name]);
      if (axis.kind === 'categorical') return new CategoricalKernels(values.map((v) => axis.choices.indexOf(v)), axis.choices.length, this.parzen.priorWeight);
      if (axis.kind === 'constant') throw new StudyError(`tpe: constant '${axis.name}' is not drawn`);
      const mus = values.map((v) => axis.encode(v));
      return new NumericKernels([...mus, 0.5], [...bandwidths(mus, this.parzen), 1], axis.bucket);
    });
    return new ParzenMixture(kernels, n, this.parzen.priorWeight);
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
      multivariate: this.multivariate,
    };
  }
}

function encode(axis: TpeAxis, value: HyperparameterValue | undefined): number {
  if (value === undefined) return Number.NaN;
  if (axis.kind === 'numeric') return axis.encode(value);
  if (axis.kind === 'categorical') return axis.choices.indexOf(value);
  return 0;
}

function decode(axis: TpeAxis, x: number): HyperparameterValue {
  if (axis.kind === 'numeric') return axis.decode(x);
  if (axis.kind === 'categorical') return axis.choices[Math.min(axis.choices.length - 1, Math.max(0, Math.round(x)))];
  return axis.value;
}
