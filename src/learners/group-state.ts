/**
 * The tensors a fused group trains — flat parameters, best-epoch snapshot, optimizer moments,
 * batch-normalisation running statistics — and their round trip to per-model host arrays, used to
 * initialise a group and to rebuild it without the models that have stopped.
 */
import { tf } from '../backend/tf.ts';
import type { GroupLayout } from './layout.ts';
import type { BnRunning } from './network.ts';
import type { OptimizerState } from './optimizer.ts';

/** A group's training tensors. */
export interface TrainingState {
  params: tf.Tensor;
  best: tf.Tensor;
  optimizer: OptimizerState;
  running: BnRunning;
  bestRunning: BnRunning;
}

/** One model's share of a {@link TrainingState}, on the host. */
export interface HostModelState {
  readonly params: Float32Array;
  readonly best: Float32Array;
  readonly m: Float32Array;
  readonly s: Float32Array;
  /** Per hidden layer (batch normalisation only). */
  readonly mean: Float32Array[];
  readonly variance: Float32Array[];
  readonly bestMean: Float32Array[];
  readonly bestVariance: Float32Array[];
}

/** A fresh model: initial parameters, zero moments, running mean 0 and variance 1. */
export function freshModelState(layout: GroupLayout, k: number, params: Float32Array): HostModelState {
  const hidden = layout.layers.filter((l) => l.hidden && layout.specs[0].batchNorm);
  const units = layout.layers[0].outputs[k];
  const filled = (value: number) => hidden.map(() => new Float32Array(units).fill(value));
  const zeros = new Float32Array(params.length);
  return { params, best: params.slice(), m: zeros, s: zeros, mean: filled(0), variance: filled(1), bestMean: filled(0), bestVariance: filled(1) };
}

/** Uploads per-model states as one group's tensors. */
export function uploadState(layout: GroupLayout, models: readonly HostModelState[]): TrainingState {
  const flat = (pick: (m: HostModelState) => Float32Array) => tf.tensor1d(layout.pack(models.map(pick)));
  const hidden = layout.layers.filter((l) => l.hidden && layout.specs[0].batchNorm);
  const column = (pick: (m: HostModelState) => Float32Array[]) => hidden.map((shape, l) => {
    const values = new Float32Array(shape.totalOutputs);
    models.forEach((m, k) => values.set(pick(m)[l], shape.rowOffsets[k]));
    return tf.tensor2d(values, [shape.totalOutputs, 1]);
  });
  return {
    params: flat((m) => m.params),
    best: flat((m) => m.best),
    optimizer: { m: flat((m) => m.m), s: flat((m) => m.s) },
    running: { mean: column((m) => m.mean), variance: column((m) => m.variance) },
    bestRunning: { mean: column((m) => m.bestMean), variance: column((m) => m.bestVariance) },
  };
}

/** Downloads a group's tensors as per-model states. */
export async function downloadState(layout: GroupLayout, state: TrainingState): Promise<HostModelState[]> {
  const [params, best, m, s] = (await Promise.all([state.params, state.best, state.optimizer.m, state.optimizer.s].map(floats))).map((v) => layout.unpack(v));
  const shape = layout.layers[0];
  const rows = async (columns: tf.Tensor[]) => {
    const values = await Promise.all(columns.map(floats));
    return shape.outputs.map((units, k) => values.map((v) => v.slice(shape.rowOffsets[k], shape.rowOffsets[k] + units)));
  };
  const [mean, variance, bestMean, bestVariance] = await Promise.all([state.running.mean, state.running.variance, state.bestRunning.mean, state.bestRunning.variance].map(rows));
  return params.map((p, k) => ({ params: p, best: best[k], m: m[k], s: s[k], mean: mean[k], variance: variance[k], bestMean: bestMean[k], bestVariance: bestVariance[k] }));
}

/** Frees a group's tensors. */
export function disposeState(state: TrainingState): void {
  tf.dispose([state.params, state.best, state.optimizer.m, state.optimizer.s]);
  tf.dispose([...state.running.mean, ...state.running.variance, ...state.bestRunning.mean, ...state.bestRunning.variance]);
}

/**
 * A float32 tensor's values (a copy on wasm and cpu). Asynchronous: a GPU backend (webgpu) can
 * only read back asynchronously.
 */
export async function floats(t: tf.Tensor): Promise<Float32Array> {
  const values = await t.data();
  return values instanceof Float32Array ? values : Float32Array.from(values);
}
