/**
 * The data a study report plots, drawn from a study's trials (and the store's evaluations for
 * learning curves): optimisation history with the best so far, parallel coordinates, intermediate
 * values with the pruner's rungs, and per-trial validation-loss curves. Pure functions over
 * records, each tested on its own; `svg.ts` only draws what they return.
 */
import { denormalizeValue, normalizeValue } from '../spaces/hyperparameter-values.ts';
import type { SearchSpace } from '../spaces/search-space.ts';
import type { EvaluationRecord, JsonValue, StudyDirection, TrialRecord, TrialState } from '../store/records.ts';

/** A trial's origin reduced to the four families a report colours by (and 'other'). */
export type OriginKind = 'warm-start' | 'sampler' | 'default' | 'enqueued' | 'other';

/** The origin families in legend order. */
export const ORIGIN_KINDS: readonly OriginKind[] = ['warm-start', 'default', 'enqueued', 'sampler', 'other'];

/** @returns the family of an origin such as `warm-start:learned` or `sampler:tpe:startup` */
export function originKind(origin: string): OriginKind {
  const kind = origin.split(':')[0];
  return kind === 'warm-start' || kind === 'sampler' || kind === 'default' || kind === 'enqueued' ? kind : 'other';
}

/** One trial on the optimisation history. */
export interface HistoryPoint {
  readonly number: number;
  readonly state: TrialState;
  readonly origin: string;
  readonly kind: OriginKind;
  /** The trial's value (a pruned trial's last intermediate value); null when it has none. */
  readonly value: number | null;
  /** The best value of the complete trials up to and including this one; null before the first. */
  readonly bestSoFar: number | null;
}

/**
 * @param trials - the study's trials
 * @param direction - the study's direction
 * @returns one point per trial, by number; the best so far counts complete trials only (as Optuna)
 */
export function optimisationHistory(trials: readonly TrialRecord[], direction: StudyDirection): HistoryPoint[] {
  let best: number | null = null;
  return [...trials].sort((a, b) => a.number - b.number).map((t) => {
    const value = t.value !== null && Number.isFinite(t.value) ? t.value : null;
    if (t.state === 'complete' && value !== null && (best === null || (direction === 'maximize' ? value > best : value < best))) best = value;
    return { number: t.number, state: t.state, origin: t.origin, kind: originKind(t.origin), value, bestSoFar: best };
  });
}

/**
 * @returns the best complete trial (the earliest among equals), or undefined
 */
export function bestTrialOf(trials: readonly TrialRecord[], direction: StudyDirection): TrialRecord | undefined {
  let best: TrialRecord | undefined;
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    if (t.state !== 'complete' || t.value === null || !Number.isFinite(t.value)) continue;
    if (best === undefined || (direction === 'maximize' ? t.value > (best.value as number) : t.value < (best.value as number))) best = t;
  }
  return best;
}

/** An axis of the parallel coordinates: positions in [0, 1] with labelled ticks. */
export interface ParallelAxisData {
  readonly name: string;
  readonly ticks: readonly { readonly at: number; readonly label: string }[];
}

/** Parallel-coordinates data: hyperparameter axes then the score axis. */
export interface ParallelData {
  readonly axes: readonly ParallelAxisData[];
  /** One line per complete trial, worst first (so the best is drawn on top). */
  readonly lines: readonly { readonly number: number; readonly value: number; readonly coordinates: readonly (number | null)[]; readonly best: boolean }[];
  readonly scoreRange: readonly [number, number];
}

function label(value: number | string | boolean): string {
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  const a = Math.abs(value);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? value.toExponential(0) : String(Number(value.toPrecision(2)));
}

/**
 * Axes are the hyperparameters that take more than one value over the complete trials, in the
 * space's order, then the score. Numeric coordinates are the space's unit axis (log where `log`),
 * choice i of k sits at i/(k − 1); an inactive hyperparameter is null (the line breaks there).
 * @returns the axes and one line per complete trial
 */
export function parallelCoordinatesData(space: SearchSpace, trials: readonly TrialRecord[], direction: StudyDirection): ParallelData {
  const done = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value));
  const varying = space.hyperparameters.filter((hp) => hp.type !== 'constant' && new Set(done.map((t) => JSON.stringify(t.config[hp.name] ?? null))).size > 1);
  const values = done.map((t) => t.value as number);
  const lo = values.length > 0 ? Math.min(...values) : 0;
  const hi = values.length > 0 ? Math.max(...values) : 1;
  const axes: ParallelAxisData[] = varying.map((hp) => {
    if (hp.type === 'categorical' || hp.type === 'ordinal') {
      const choices = hp.type === 'categorical' ? hp.choices : hp.sequence;
      return { name: hp.name, ticks: choices.map((c, i) => ({ at: choices.length <= 1 ? 0 : i / (choices.length - 1), label: label(c) })) };
    }
    return { name: hp.name, ticks: [0, 0.5, 1].map((at) => ({ at, label: label(denormalizeValue(hp, at)) })) };
  });
  axes.push({ name: 'score', ticks: [0, 0.5, 1].map((at) => ({ at, label: label(Number((lo + at * (hi - lo)).toPrecision(3))) })) });
  const best = bestTrialOf(done, direction);
  const lines = done.map((t) => ({
    number: t.number,
    value: t.value as number,
    best: t === best,
    coordinates: [
      ...varying.map((hp) => {
        const v = t.config[hp.name];
        return v === undefined ? null : normalizeValue(hp, v);
      }),
      hi > lo ? ((t.value as number) - lo) / (hi - lo) : 0.5,
    ],
  }));
  const sign = direction === 'maximize' ? 1 : -1;
  lines.sort((a, b) => sign * (a.value - b.value) || Number(a.best) - Number(b.best) || a.number - b.number);
  return { axes, lines, scoreRange: [lo, hi] };
}

/** Intermediate values: one series per trial that reported any, and the pruner's rungs. */
export interface IntermediateData {
  readonly rungs: readonly number[];
  readonly curves: readonly { readonly number: number; readonly state: TrialState; readonly kind: OriginKind; readonly points: readonly (readonly [number, number])[] }[];
}

/**
 * The rung steps of a stored successive-halving pruner (`{ name: 'sh', minResource, reductionFactor,
 * minEarlyStoppingRate }`) up to `maxStep`; none for another pruner.
 */
export function rungSteps(pruner: JsonValue | undefined, maxStep: number): number[] {
  if (typeof pruner !== 'object' || pruner === null || Array.isArray(pruner)) return [];
  const p = pruner as { readonly [key: string]: JsonValue };
  if (p.name !== 'sh') return [];
  const min = typeof p.minResource === 'number' ? p.minResource : 1;
  const eta = typeof p.reductionFactor === 'number' ? p.reductionFactor : 3;
  const rate = typeof p.minEarlyStoppingRate === 'number' ? p.minEarlyStoppingRate : 0;
  if (!(min >= 1) || !(eta >= 2)) return [];
  const out: number[] = [];
  for (let k = 0; k < 64; k++) {
    const step = min * eta ** (rate + k);
    if (step > maxStep) break;
    out.push(step);
  }
  return out;
}

/**
 * @param trials - the study's trials
 * @param pruner - the study's stored pruner settings (`settings.pruner`)
 * @returns each trial's reported (step, value) pairs and the rungs up to the last reported step
 */
export function intermediateValues(trials: readonly TrialRecord[], pruner: JsonValue | undefined): IntermediateData {
  const curves = [...trials].sort((a, b) => a.number - b.number).map((t) => ({
    number: t.number,
    state: t.state,
    kind: originKind(t.origin),
    points: t.intermediate.flatMap((v, step) => (v !== null && Number.isFinite(v) ? [[step, v] as const] : [])),
  })).filter((c) => c.points.length > 0);
  const maxStep = Math.max(0, ...curves.flatMap((c) => c.points.map((p) => p[0])));
  return { rungs: rungSteps(pruner, maxStep), curves };
}

/** A trial's validation loss per epoch, from its longest stored evaluation. */
export interface TrialCurve {
  readonly number: number;
  readonly state: TrialState;
  readonly kind: OriginKind;
  /** Epochs the evaluation was trained for (its fidelity). */
  readonly fidelity: number;
  /** Validation loss after epoch i + 1 (null where not finite). */
  readonly validLoss: readonly (number | null)[];
}

/**
 * @param trials - the study's trials
 * @param evaluations - the task's evaluations in the study's space
 * @returns per trial with a stored evaluation of its configuration, the validation-loss curve of
 *   its highest-fidelity evaluation (a pruned trial's last rung)
 */
export function learningCurves(trials: readonly TrialRecord[], evaluations: readonly EvaluationRecord[]): TrialCurve[] {
  const byHash = new Map<string, EvaluationRecord>();
  for (const e of evaluations) {
    if (e.status !== 'ok') continue;
    const current = byHash.get(e.configHash);
    if (current === undefined || e.fidelity > current.fidelity) byHash.set(e.configHash, e);
  }
  const out: TrialCurve[] = [];
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    const e = byHash.get(t.configHash);
    if (e === undefined) continue;
    const series = Array.isArray(e.curve) ? (e.curve as readonly (number | null)[]) : (e.curve as { validLoss: readonly (number | null)[] }).validLoss;
    if (!Array.isArray(series) || series.length === 0) continue;
    out.push({ number: t.number, state: t.state, kind: originKind(t.origin), fidelity: e.fidelity, validLoss: series });
  }
  return out;
}

/** Counts of a study's trials by state. */
export function stateCounts(trials: readonly TrialRecord[]): Record<TrialState, number> {
  const counts: Record<TrialState, number> = { running: 0, complete: 0, pruned: 0, failed: 0 };
  for (const t of trials) counts[t.state]++;
  return counts;
}
