/**
 * Forward and backward passes of a fused group of dense networks, written by hand with explicit
 * gradients (no tapes), feature-major: activations are `features × batch` matrices with the models'
 * rows stacked. On the wasm backend only the plain 2-D matMul (no transposes) reaches XNNPACK, so
 * every product below is a plain `matMul(a, b)` and transposes are explicit ops.
 *
 * Layer 0 reads the shared input, so it is one matMul for the whole group (`Σunits × nFeatures`
 * kernel); deeper hidden layers are one small matMul per model on a contiguous row block. Bias,
 * batch normalisation, activation and dropout run once on the stacked matrix. The output layer of
 * a network with hidden layers stores its kernel `in × out` and works batch-major (`batch ×
 * classes` per model), so that every one of its products packs only a small operand (XNNPACK
 * repacks the right-hand operand on every call) and the softmax needs no transposes. Outputs are
 * handed to the loss as `models × batch × outputs`.
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from './config.ts';
import { takeBlocks } from '../backend/index.ts';
import type { GroupLayout, PieceKind } from './layout.ts';

/** Keras's BatchNormalization epsilon. */
export const BN_EPSILON = 1e-3;

/** Running statistics of batch normalisation, one `Σunits × 1` column per hidden layer. */
export interface BnRunning {
  readonly mean: tf.Tensor[];
  readonly variance: tf.Tensor[];
}

/** How to run a forward pass. */
export interface ForwardContext {
  readonly layout: GroupLayout;
  readonly activation: Activation;
  /** Parameters, as the group's flat vector. */
  readonly params: tf.Tensor;
  /** Training mode: batch statistics and dropout masks; otherwise running statistics. */
  readonly training: boolean;
  /** Dropout masks (`Σunits × batch`, already scaled by 1/keep) per hidden layer, when any model drops out. */
  readonly masks?: readonly tf.Tensor[];
  readonly running?: BnRunning;
}

interface LayerCache {
  /** The layer's input: the shared batch (layer 0) or the previous layer's stacked activations. */
  readonly input: tf.Tensor;
  /** Per-model blocks of the input (layers ≥ 1). */
  readonly inputs: tf.Tensor[];
  readonly y?: tf.Tensor;
  readonly a?: tf.Tensor;
  readonly xhat?: tf.Tensor;
  readonly rstd?: tf.Tensor;
  readonly batchMean?: tf.Tensor;
  readonly batchVariance?: tf.Tensor;
}

/** The result of a forward pass, with what backward needs. */
export interface ForwardResult {
  /** `Σoutputs × batch` raw outputs (logits or regression values) of all models. */
  readonly output: tf.Tensor;
  readonly caches: LayerCache[];
}

/** Every model's kernel of a layer (layers ≥ 1), `out × in`, or transposed. */
function kernels(ctx: ForwardContext, layer: number, transpose = false): tf.Tensor[] {
  const seg = ctx.layout.segment(layer, 'kernel');
  const shape = ctx.layout.layers[layer];
  return takeBlocks(ctx.params, seg.modelOffsets.map((offset, k) => ({ offset, rows: shape.outputs[k], cols: shape.inputs[k] })), transpose);
}

/** A whole segment as a `rows × cols` matrix. */
function wholeSegment(ctx: ForwardContext, layer: number, kind: PieceKind, cols: number): tf.Tensor {
  const seg = ctx.layout.segment(layer, kind);
  return takeBlocks(ctx.params, [{ offset: seg.offset, rows: seg.size / cols, cols }])[0];
}

/** Each model's row block of a stacked `rows × batch` matrix of layer `layer`'s outputs. */
function rowBlocks(ctx: ForwardContext, x: tf.Tensor, layer: number, transpose = false): tf.Tensor[] {
  const shape = ctx.layout.layers[layer];
  const batch = x.shape[1] ?? 1;
  if (shape.outputs.length === 1 && !transpose) return [x];
  return takeBlocks(x, shape.outputs.map((rows, k) => ({ offset: shape.rowOffsets[k] * batch, rows, cols: batch })), transpose);
}

/**
 * Runs the group's networks on a feature-major input.
 * @param ctx - parameters and mode
 * @param xt - `nFeatures × batch` input
 * @returns stacked outputs and the caches for {@link backward}
 */
export function forward(ctx: ForwardContext, xt: tf.Tensor): ForwardResult {
  const { layout } = ctx;
  const caches: LayerCache[] = [];
  let h = xt;
  for (let l = 0; l < layout.layers.length; l++) {
    const shape = layout.layers[l];
    const input = h;
    let inputs: tf.Tensor[] = [];
    let z: tf.Tensor;
    if (!shape.hidden && l > 0) {
      caches.push({ input, inputs });
      return { output: outputLayer(ctx, h, l), caches };
    }
    if (l === 0) {
      z = tf.matMul(wholeSegment(ctx, 0, 'kernel', layout.nFeatures), xt);
    } else {
      inputs = rowBlocks(ctx, h, l - 1);
      const parts = kernels(ctx, l).map((kernel, k) => tf.matMul(kernel, inputs[k]));
      z = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    }
    z = tf.add(z, wholeSegment(ctx, l, 'bias', 1));
    if (!shape.hidden) {
      caches.push({ input, inputs });
      const models = layout.specs.length;
      return { output: tf.transpose(tf.reshape(z, [models, layout.nOutputs, z.shape[1] ?? 1]), [0, 2, 1]), caches };
    }
    const norm = layout.specs[0].batchNorm ? batchNormForward(ctx, l, z) : { y: z };
    const a = activate(ctx.activation, norm.y);
    const mask = ctx.training ? ctx.masks?.[l] : undefined;
    h = mask === undefined ? a : tf.mul(a, mask);
    caches.push({ input, inputs, a, ...norm });
  }
  throw new Error('a network needs an output layer');
}

/** The output layer after hidden layers: per model `h_kᵀ · W_k` (`batch × outputs`), plus bias. */
function outputLayer(ctx: ForwardContext, h: tf.Tensor, l: number): tf.Tensor {
  const { layout } = ctx;
  const models = layout.specs.length;
  const batch = h.shape[1] ?? 1;
  const inputsT = rowBlocks(ctx, h, l - 1, true);
  const parts = outputKernels(ctx, l).map((kernel, k) => tf.matMul(inputsT[k], kernel));
  const stacked = tf.reshape(parts.length === 1 ? parts[0] : tf.concat(parts, 0), [models, batch, layout.nOutputs]);
  return tf.add(stacked, tf.reshape(wholeSegment(ctx, l, 'bias', 1), [models, 1, layout.nOutputs]));
}

/** Every model's output kernel, stored `in × out`. */
function outputKernels(ctx: ForwardContext, layer: number): tf.Tensor[] {
  const seg = ctx.layout.segment(layer, 'kernel');
  const shape = ctx.layout.layers[layer];
  return takeBlocks(ctx.params, seg.modelOffsets.map((offset, k) => ({ offset, rows: shape.inputs[k], cols: shape.outputs[k] })));
}

function batchNormForward(ctx: ForwardContext, l: number, z: tf.Tensor) {
  const gamma = wholeSegment(ctx, l, 'gamma', 1);
  const beta = wholeSegment(ctx, l, 'beta', 1);
  if (!ctx.training) {
    const running = ctx.running;
    if (running === undefined) throw new Error('inference with batch normalisation needs running statistics');
    const rstd = tf.rsqrt(tf.add(running.variance[l], BN_EPSILON));
    return { y: tf.add(tf.mul(tf.mul(tf.sub(z, running.mean[l]), rstd), gamma), beta) };
  }
  const batchMean = tf.mean(z, 1, true);
  const centred = tf.sub(z, batchMean);
  const batchVariance = tf.mean(tf.square(centred), 1, true);
  const rstd = tf.rsqrt(tf.add(batchVariance, BN_EPSILON));
  const xhat = tf.mul(centred, rstd);
  return { y: tf.add(tf.mul(xhat, gamma), beta), xhat, rstd, batchMean, batchVariance };
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Applies a hidden activation. GELU is the exact (erf) form, as Keras's default. */
export function activate(activation: Activation, y: tf.Tensor): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(y);
    case 'elu':
      return tf.elu(y);
    case 'tanh':
      return tf.tanh(y);
    case 'gelu':
      return tf.mul(y, tf.mul(tf.add(tf.erf(tf.mul(y, SQRT1_2)), 1), 0.5));
    case 'linear':
      return y;
  }
}

/** d activation / d y, from the pre-activation `y` and the activation `a`. */
function activationSlope(activation: Activation, y: tf.Tensor, a: tf.Tensor): tf.Tensor {
  switch (activation) {
    case 'relu':
      return tf.step(y, 0);
    case 'elu':
      return tf.add(tf.minimum(a, 0), 1);
    case 'tanh':
      return tf.sub(1, tf.square(a));
    case 'gelu': {
      const cdf = tf.mul(tf.add(tf.erf(tf.mul(y, SQRT1_2)), 1), 0.5);
      const pdf = tf.mul(tf.exp(tf.mul(tf.square(y), -0.5)), INV_SQRT_2PI);
      return tf.add(cdf, tf.mul(y, pdf));
    }
    case 'linear':
      return tf.onesLike(y);
  }
}

/**
 * Back-propagates the gradient of the loss with respect to the outputs.
 * @param ctx - the context of the forward pass
 * @param fwd - its result
 * @param dOutput - `models × batch × outputs` gradient of the loss
 * @param xb - the batch, row-major `batch × nFeatures` (layer 0's kernel gradient is `dZ · xb`)
 * @returns the gradient as a flat vector in the layout's order
 */
export function backward(ctx: ForwardContext, fwd: ForwardResult, dOutput: tf.Tensor, xb: tf.Tensor): tf.Tensor {
  const { layout } = ctx;
  const grads = new Map<string, tf.Tensor>();
  const last = layout.layers.length - 1;
  const models = layout.specs.length;
  const batch = dOutput.shape[1] ?? 1;
  let dz: tf.Tensor;
  let top = last;
  if (last === 0) {
    dz = tf.reshape(tf.transpose(dOutput, [0, 2, 1]), [models * layout.nOutputs, batch]);
  } else {
    dz = hiddenBackward(ctx, last - 1, fwd.caches[last - 1], outputBackward(ctx, fwd.caches[last].input, dOutput, grads), grads);
    top = last - 1;
  }
  for (let l = top; l >= 0; l--) {
    grads.set(`${l}:bias`, tf.reshape(tf.sum(dz, 1), [-1]));
    if (l === 0) {
      grads.set('0:kernel', tf.reshape(tf.matMul(dz, xb), [-1]));
      break;
    }
    const dzBlocks = rowBlocks(ctx, dz, l);
    const inputsT = rowBlocks(ctx, fwd.caches[l].input, l - 1, true);
    const kernelGrads = dzBlocks.map((block, k) => tf.reshape(tf.matMul(block, inputsT[k]), [-1]));
    const dInputs = kernels(ctx, l, true).map((kernelT, k) => tf.matMul(kernelT, dzBlocks[k]));
    grads.set(`${l}:kernel`, kernelGrads.length === 1 ? kernelGrads[0] : tf.concat(kernelGrads, 0));
    const dh = dInputs.length === 1 ? dInputs[0] : tf.concat(dInputs, 0);
    dz = hiddenBackward(ctx, l - 1, fwd.caches[l - 1], dh, grads);
  }
  return tf.concat(layout.segments.map((s) => grads.get(`${s.layer}:${s.kind}`) ?? missing(s.layer, s.kind)), 0);
}

/** Gradients of the output layer's kernel and bias; returns d loss / d h of the last hidden layer. */
function outputBackward(ctx: ForwardContext, h: tf.Tensor, dOutput: tf.Tensor, grads: Map<string, tf.Tensor>): tf.Tensor {
  const { layout } = ctx;
  const l = layout.layers.length - 1;
  const [models, batch, outputs] = dOutput.shape;
  grads.set(`${l}:bias`, tf.reshape(tf.sum(dOutput, 1), [-1]));
  const blocks = Array.from({ length: models }, (_, k) => ({ offset: k * batch * outputs, rows: batch, cols: outputs }));
  const dOut = takeBlocks(dOutput, blocks);
  const dOutT = takeBlocks(dOutput, blocks, true);
  const inputs = rowBlocks(ctx, h, l - 1);
  const kernelGrads = inputs.map((input, k) => tf.reshape(tf.matMul(input, dOut[k]), [-1]));
  grads.set(`${l}:kernel`, kernelGrads.length === 1 ? kernelGrads[0] : tf.concat(kernelGrads, 0));
  const dInputs = outputKernels(ctx, l).map((kernel, k) => tf.matMul(kernel, dOutT[k]));
  return dInputs.length === 1 ? dInputs[0] : tf.concat(dInputs, 0);
}

function missing(layer: number, kind: string): never {
  throw new Error(`no gradient for ${kind} of layer ${layer}`);
}

/** From d loss / d h of hidden layer `l` to d loss / d z (its pre-normalisation output). */
function hiddenBackward(ctx: ForwardContext, l: number, cache: LayerCache, dh: tf.Tensor, grads: Map<string, tf.Tensor>): tf.Tensor {
  const mask = ctx.masks?.[l];
  const da = mask === undefined ? dh : tf.mul(dh, mask);
  if (cache.y === undefined || cache.a === undefined) throw new Error(`layer ${l} has no activation cache`);
  const dy = ctx.activation === 'linear' ? da : tf.mul(da, activationSlope(ctx.activation, cache.y, cache.a));
  if (cache.xhat === undefined || cache.rstd === undefined) return dy;
  const gamma = wholeSegment(ctx, l, 'gamma', 1);
  grads.set(`${l}:gamma`, tf.reshape(tf.sum(tf.mul(dy, cache.xhat), 1), [-1]));
  grads.set(`${l}:beta`, tf.reshape(tf.sum(dy, 1), [-1]));
  const dxhat = tf.mul(dy, gamma);
  const correction = tf.add(tf.mean(dxhat, 1, true), tf.mul(cache.xhat, tf.mean(tf.mul(dxhat, cache.xhat), 1, true)));
  return tf.mul(tf.sub(dxhat, correction), cache.rstd);
}

/** The batch statistics of each hidden layer from a training forward pass. */
export function batchStatistics(fwd: ForwardResult): { mean: tf.Tensor; variance: tf.Tensor }[] {
  return fwd.caches.flatMap((c) => (c.batchMean !== undefined && c.batchVariance !== undefined ? [{ mean: c.batchMean, variance: c.batchVariance }] : []));
}
