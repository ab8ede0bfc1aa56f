/**
 * Asynchronous successive halving (Li et al. 2020, ASHA), as Optuna's `SuccessiveHalvingPruner`:
 * rung k sits at step `minResource · η^(minEarlyStoppingRate + k)` (epochs 1, 3, 9, 27... by
 * default). When a trial first reports a step at or beyond a rung, its value there joins that
 * rung, and the trial continues only if it is among the top 1/η of the values the rung holds so
 * far (while the rung holds fewer than η values, only if it is the best). Trials are never
 * paused, so early arrivals are judged against fewer competitors, as in Optuna.
 *
 * A trial's value at rung k is its value at the first step it reported at or beyond the rung;
 * it is read from the stored intermediate values, so the pruner keeps no state of its own and a
 * resumed study prunes as the original process would have.
 */
import { StudyError } from '../errors.ts';
import type { FrozenTrial, JsonValue, StudyDirection } from '../types.ts';
import type { Pruner, PruningContext } from './pruner.ts';

/** Settings of {@link SuccessiveHalvingPruner}. */
export interface SuccessiveHalvingOptions {
  /** Step of the first rung (default 1). */
  readonly minResource?: number;
  /** η: each rung keeps the top 1/η (default 3). */
  readonly reductionFactor?: number;
  /** Skips the first rungs (default 0). */
  readonly minEarlyStoppingRate?: number;
  /** A trial is pruned until its rung holds more than this many values (default 0). */
  readonly bootstrapCount?: number;
}

/** The first reported (non-null) step at or beyond `rungStep`, or undefined. */
function firstStepAtOrAfter(intermediate: readonly (number | null)[], rungStep: number): number | undefined {
  for (let step = Math.max(0, Math.ceil(rungStep)); step < intermediate.length; step++) {
    if (intermediate[step] !== null) return step;
  }
  return undefined;
}

/**
 * @param value - the judged trial's value at the rung
 * @param competing - every value at the rung, the judged one included
 * @param eta - reduction factor
 * @param direction - the study's direction
 * @returns whether `value` is in the top 1/η (the best while fewer than η compete)
 */
export function isPromotable(value: number, competing: readonly number[], eta: number, direction: StudyDirection): boolean {
  const index = Math.max(Math.floor(competing.length / eta) - 1, 0);
  const sorted = [...competing].sort((a, b) => a - b);
  return direction === 'maximize' ? value >= sorted[sorted.length - 1 - index] : value <= sorted[index];
}

/** Asynchronous successive halving over steps (epochs); see the module comment. */
export class SuccessiveHalvingPruner implements Pruner {
  readonly name = 'sh';
  readonly minResource: number;
  readonly reductionFactor: number;
  readonly minEarlyStoppingRate: number;
  readonly bootstrapCount: number;

  /**
   * @param options - see {@link SuccessiveHalvingOptions}
   * @throws StudyError when minResource < 1, η < 2, or a rate or count is negative
   */
  constructor(options: SuccessiveHalvingOptions = {}) {
    this.minResource = options.minResource ?? 1;
    this.reductionFactor = options.reductionFactor ?? 3;
    this.minEarlyStoppingRate = options.minEarlyStoppingRate ?? 0;
    this.bootstrapCount = options.bootstrapCount ?? 0;
    if (!(this.minResource >= 1)) throw new StudyError(`sh: minResource must be ≥ 1, got ${this.minResource}`);
    if (!(this.reductionFactor >= 2)) throw new StudyError(`sh: reductionFactor must be ≥ 2, got ${this.reductionFactor}`);
    if (!Number.isInteger(this.minEarlyStoppingRate) || this.minEarlyStoppingRate < 0) {
      throw new StudyError(`sh: minEarlyStoppingRate must be an integer ≥ 0, got ${this.minEarlyStoppingRate}`);
    }
    if (!Number.isInteger(this.bootstrapCount) || this.bootstrapCount < 0) {
      throw new StudyError(`sh: bootstrapCount must be an integer ≥ 0, got ${this.bootstrapCount}`);
    }
  }

  /** @returns the step of rung `k` */
  rungStep(k: number): number {
    return this.minResource * this.reductionFactor ** (this.minEarlyStoppingRate + k);
  }

  /**
   * Judges the rungs that the trial's last reported step completes.
   * @param trial - the running trial
   * @param context - direction and trials of the study
   * @returns whether to stop the trial
   */
  shouldPrune(trial: FrozenTrial, context: PruningContext): boolean {
    const step = lastStep(trial.intermediate);
    if (step === undefined) return false;
    const value = trial.intermediate[step];
    for (let k = 0; this.rungStep(k) <= step; k++) {
      if (firstStepAtOrAfter(trial.intermediate, this.rungStep(k)) !== step) continue;
      if (value === null || Number.isNaN(value)) return true;
      const competing = [value, ...this.rungValues(k, context.trials, trial.number)];
      if (competing.length <= this.bootstrapCount) return true;
      if (!isPromotable(value, competing, this.reductionFactor, context.direction)) return true;
    }
    return false;
  }

  /** Values of the other trials at rung k. */
  private rungValues(k: number, trials: readonly FrozenTrial[], exclude: number): number[] {
    const out: number[] = [];
    for (const t of trials) {
      if (t.number === exclude) continue;
      const step = firstStepAtOrAfter(t.intermediate, this.rungStep(k));
      const v = step === undefined ? null : t.intermediate[step];
      if (v !== null && v !== undefined) out.push(v);
    }
    return out;
  }

  /** @returns the pruner's name and settings */
  toJSON(): JsonValue {
    return {
      name: this.name,
      minResource: this.minResource,
      reductionFactor: this.reductionFactor,
      minEarlyStoppingRate: this.minEarlyStoppingRate,
      bootstrapCount: this.bootstrapCount,
    };
  }
}

function lastStep(intermediate: readonly (number | null)[]): number | undefined {
  for (let step = intermediate.length - 1; step >= 0; step--) if (intermediate[step] !== null) return step;
  return undefined;
}
