/**
 * Trains a group of models that share depth, batch normalisation, activation, batch size and
 * mini-batch order as one set of wide ops (see network.ts, optimizer.ts). Each model keeps its own
 * early-stopping state and best-weights snapshot; a stopped, finished or diverged model is frozen
 * (learning rate 0) while the others go on. Every model sees the same data order — derived from
 * the group's shuffle seed only — and draws its own initial weights and dropout masks, so a model
 * trained in a group matches the same request trained alone.
 */
import { tf } from '../backend/tf.ts';
import { sliceRows } from '../backend/block-kernels.ts';
import { Random, deriveSeed } from '../random.ts';
import { scheduledLearningRate, type ModelSpec } from './config.ts';
import { DropoutMasks, initialParameters } from './init.ts';
import { disposeState, downloadState, floats, freshModelState, type HostModelState, type TrainingState, uploadState } from './group-state.ts';
import { GroupLayout } from './layout.ts';
import { GroupProducts } from './products.ts';
import { type BnRunning, backward, batchStatistics, forward, type ForwardContext } from './network.ts';
import { type EpochRates, FlatOptimizer } from './optimizer.ts';
import { EarlyStopping, type MemberResult } from './early-stopping.ts';
import type { DeviceTask } from './device-task.ts';

/** One model of a group. */
export interface GroupMember {
  readonly spec: ModelSpec;
  readonly seed: number;
}

/** Options of {@link trainGroup}. */
export interface GroupOptions {
  readonly shuffleSeed: number;
  readonly signal?: AbortSignal;
  readonly onEpoch?: (member: number, epoch: number, validLoss: number) => void;
}


const BN_MOMENTUM = 0.99;

/** Everything one (possibly compacted) group trains with. */
interface GroupRun {
  /** Index of each model in the original member list. */
  readonly indices: readonly number[];
  readonly layout: GroupLayout;
  readonly products: GroupProducts;
  readonly optimizer: FlatOptimizer;
  readonly masks: DropoutMasks;
  readonly stopping: EarlyStopping;
  readonly state: TrainingState;
}

/** Rebuild a group without its stopped models once this share of them has stopped. */
const COMPACT_WHEN_STOPPED = 0.25;

/**
 * Trains the members together. When a quarter of a group's models have stopped, the group is
 * rebuilt without them (their results are final), so stopped models cost nothing afterwards.
 * @param data - the task's tensors
 * @param members - models sharing hiddenLayers, batchNorm, activation and batchSize
 * @param options - shuffle seed, abort signal, progress callback
 * @returns one result per member, in order
 */
export async function trainGroup(data: DeviceTask, members: readonly GroupMember[], options: GroupOptions): Promise<MemberResult[]> {
  const started = performance.now();
  const layout = new GroupLayout(members.map((m) => m.spec), data.nFeatures, data.nOutputs);
  const hostStates = members.map((m, k) => freshModelState(layout, k, initialParameters(layout, k, m.seed)));
  let run = startRun(data, members.map((_, k) => k), layout, hostStates, {
    masks: new DropoutMasks(layout, members.map((m) => m.seed)),
    stopping: new EarlyStopping(layout.specs, data),
  });
  const results: MemberResult[] = new Array(members.length);
  try {
    const batchSize = Math.min(members[0].spec.batchSize, data.nTrain);
    const maxEpochs = Math.max(...members.map((m) => m.spec.maxEpochs));
    let step = 0;
    for (let epoch = 0; epoch < maxEpochs && run.stopping.anyActive(); epoch++) {
      options.signal?.throwIfAborted();
      step = await trainEpoch(data, run, epoch, step, batchSize, options);
      if (run.stopping.stoppedShare() >= COMPACT_WHEN_STOPPED && run.stopping.anyActive()) run = await compact(data, run, results);
    }
    finish(run, await downloadState(run.layout, run.state), results);
  } finally {
    disposeRun(run);
  }
  const epochs = results.reduce((sum, r) => sum + r.epochsRun, 0);
  const wall = performance.now() - started;
  return results.map((r) => ({ ...r, wallTimeMs: epochs === 0 ? 0 : (wall * r.epochsRun) / epochs }));
}

function startRun(data: DeviceTask, indices: readonly number[], layout: GroupLayout, states: readonly HostModelState[], parts: { masks: DropoutMasks; stopping: EarlyStopping }): GroupRun {
  const optimizer = new FlatOptimizer(layout);
  try {
    return { indices, layout, products: new GroupProducts(layout), optimizer, ...parts, state: uploadState(layout, states) };
  } catch (error) {
    optimizer.dispose();
    throw error;
  }
}

function disposeRun(run: GroupRun): void {
  run.optimizer.dispose();
  disposeState(run.state);
}

/** Records the results of some models of a run (all when `keep` is empty). */
function finish(run: GroupRun, states: readonly HostModelState[], results: MemberResult[], keep: ReadonlySet<number> = new Set()): void {
  const best = { params: states.map((s) => s.best), mean: states.map((s) => s.bestMean), variance: states.map((s) => s.bestVariance) };
  run.stopping.results(best).forEach((result, k) => {
    if (!keep.has(k)) results[run.indices[k]] = result;
  });
}

/** Rebuilds a run with its active models only; records the others' results. */
async function compact(data: DeviceTask, run: GroupRun, results: MemberResult[]): Promise<GroupRun> {
  const states = await downloadState(run.layout, run.state);
  const active = run.layout.specs.map((_, k) => k).filter((k) => run.stopping.isActive(k));
  const layout = new GroupLayout(active.map((k) => run.layout.specs[k]), data.nFeatures, data.nOutputs);
  const next = startRun(data, active.map((k) => run.indices[k]), layout, active.map((k) => states[k]), {
    masks: run.masks.subset(layout, active),
    stopping: run.stopping.subset(active),
  });
  finish(run, states, results, new Set(active));
  disposeRun(run);
  return next;
}

/** One epoch of every active model, then validation and early-stopping bookkeeping. */
async function trainEpoch(data: DeviceTask, run: GroupRun, epoch: number, firstStep: number, batchSize: number, options: GroupOptions): Promise<number> {
  const { layout, products, optimizer, masks, stopping, state } = run;
  const order = new Random(deriveSeed(options.shuffleSeed, 'epoch', epoch)).permutation(data.nTrain);
  const rates = optimizer.epochRates(layout, layout.specs.map((s, k) => (stopping.isActive(k) ? scheduledLearningRate(s, epoch) : 0)));
  const momentum = bnMomentum(layout, stopping);
  let lossSum: tf.Tensor = tf.zeros([layout.specs.length]);
  const rows = data.epochRows(order);
  let step = firstStep;
  try {
    for (let start = 0; start < data.nTrain; start += batchSize) {
      step++;
      const size = Math.min(batchSize, data.nTrain - start);
      lossSum = trainStep(data, { layout, products, optimizer, masks }, state, { rows, start, size, rates, step, lossSum, momentum });
    }
    const onEpoch = options.onEpoch;
    await epochEnd(data, { layout, products }, state, stopping, lossSum, epoch, onEpoch === undefined ? undefined : (k, e, loss) => onEpoch(run.indices[k], e, loss));
  } finally {
    tf.dispose([lossSum, rows.X, rows.Y, ...[momentum, rates.adam, rates.plain].filter((t) => t !== undefined)]);
  }
  await new Promise((resolve) => setImmediate(resolve));
  return step;
}

/** Per-row update rate of the running statistics: 1 − momentum for active models, 0 for frozen ones. */
function bnMomentum(layout: GroupLayout, stopping: EarlyStopping): tf.Tensor | undefined {
  if (!layout.specs[0].batchNorm) return undefined;
  const active = layout.specs.map((_, k) => stopping.isActive(k));
  return tf.tensor2d(layout.rowMask(0, active, 1 - BN_MOMENTUM), [layout.layers[0].totalOutputs, 1]);
}

interface StepInput {
  /** The epoch's rows in order; the batch is rows `[start, start + size)`. */
  readonly rows: { X: tf.Tensor; Y: tf.Tensor };
  readonly start: number;
  readonly size: number;
  readonly rates: EpochRates;
  readonly step: number;
  readonly lossSum: tf.Tensor;
  readonly momentum: tf.Tensor | undefined;
}

/** One mini-batch step; replaces the state's tensors and returns the new loss accumulator. */
interface GroupParts {
  readonly layout: GroupLayout;
  readonly products: GroupProducts;
  readonly optimizer: FlatOptimizer;
  readonly masks: DropoutMasks;
}

function trainStep(data: DeviceTask, parts: GroupParts, state: TrainingState, input: StepInput): tf.Tensor {
  const { layout, products, optimizer, masks } = parts;
  const size = input.size;
  const maskArrays = masks.active ? masks.next(size) : undefined;
  const next = tf.tidy(() => {
    const xb = sliceRows(input.rows.X, input.start, size);
    const yb = sliceRows(input.rows.Y, input.start, size);
    const xt = tf.transpose(xb);
    const maskTensors = maskArrays?.map((m) => tf.tensor2d(m, [m.length / size, size]));
    const ctx: ForwardContext = { layout, products, activation: layout.specs[0].activation, params: state.params, training: true, masks: maskTensors };
    const fwd = forward(ctx, xt);
    const { dOutput, loss } = data.lossGradient(fwd.output, yb);
    const grad = backward(ctx, fwd, dOutput, xb);
    const updated = optimizer.update(state.params, grad, state.optimizer, input.rates, input.step);
    const running = input.momentum === undefined ? state.running : updateRunning(state.running, batchStatistics(fwd), input.momentum);
    const lossSum = tf.add(input.lossSum, loss);
    return { params: updated.params, m: updated.state.m, s: updated.state.s, mean: running.mean, variance: running.variance, lossSum };
  });
  const old = [state.params, state.optimizer.m, state.optimizer.s, ...state.running.mean, ...state.running.variance, input.lossSum];
  const kept = new Set<tf.Tensor>([next.params, next.m, next.s, ...next.mean, ...next.variance]);
  state.params = next.params;
  state.optimizer = { m: next.m, s: next.s };
  state.running = { mean: next.mean, variance: next.variance };
  tf.dispose(old.filter((t) => !kept.has(t)));
  return next.lossSum;
}

function updateRunning(running: BnRunning, batch: { mean: tf.Tensor; variance: tf.Tensor }[], rate: tf.Tensor): BnRunning {
  const blend = (old: tf.Tensor, now: tf.Tensor) => tf.add(old, tf.mul(rate, tf.sub(now, old)));
  return { mean: running.mean.map((m, l) => blend(m, batch[l].mean)), variance: running.variance.map((v, l) => blend(v, batch[l].variance)) };
}

/** Validation pass, early-stopping bookkeeping and best-weights snapshot of every model. */
async function epochEnd(data: DeviceTask, { layout, products }: Pick<GroupParts, 'layout' | 'products'>, state: TrainingState, stopping: EarlyStopping, lossSum: tf.Tensor, epoch: number, onEpoch: GroupOptions['onEpoch']): Promise<void> {
  const trainLoss = Array.from(await floats(lossSum), (v) => v / data.nTrain);
  const predictions = tf.tidy(() => {
    const ctx: ForwardContext = { layout, products, activation: layout.specs[0].activation, params: state.params, training: false, running: state.running };
    return data.predictions(forward(ctx, data.validXt).output);
  });
  let values: Float32Array;
  try {
    values = await floats(predictions);
  } finally {
    predictions.dispose();
  }
  const improved = stopping.observe(epoch, trainLoss, values, onEpoch);
  if (improved.some((v) => v)) snapshot(layout, state, improved);
}

function snapshot(layout: GroupLayout, state: TrainingState, improved: readonly boolean[]): void {
  const next = tf.tidy(() => {
    const blend = (best: tf.Tensor, now: tf.Tensor, mask: tf.Tensor) => tf.add(best, tf.mul(mask, tf.sub(now, best)));
    const elementMask = tf.tensor(layout.perElement((k) => (improved[k] ? 1 : 0)), [layout.size]);
    const rowMask = tf.tensor(layout.rowMask(0, improved), [layout.layers[0].totalOutputs, 1]);
    return {
      best: blend(state.best, state.params, elementMask),
      mean: state.bestRunning.mean.map((m, l) => blend(m, state.running.mean[l], rowMask)),
      variance: state.bestRunning.variance.map((v, l) => blend(v, state.running.variance[l], rowMask)),
    };
  });
  tf.dispose([state.best, ...state.bestRunning.mean, ...state.bestRunning.variance]);
  state.best = next.best;
  state.bestRunning = { mean: next.mean, variance: next.variance };
}



