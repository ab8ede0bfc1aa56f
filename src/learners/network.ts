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
import { tf } from '../backend/tf.ts';
import type { Activation } from './config.ts';
import { sliceRows, stackBlocks } from '../backend/block-kernels.ts';
import { blockMatMul } from '../backend/block-matmul.ts';
import type { GroupProducts } from './products.ts';
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
  /** Block specifications of the per-model products. */
  readonly products: GroupProducts;
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

/** A whole segment as a `rows × cols` matrix. */
function wholeSegment(ctx: ForwardContext, layer: number, kind: PieceKind, cols: number): tf.Tensor {
  const seg = ctx.layout.segment(layer, kind);
  return tf.reshape(sliceRows(ctx.params, seg.offset, seg.size), [seg.size / cols, cols]);
}

/**
 * Runs the group's networks on a feature-major input.
 * @param ctx - parameters and mode
 * @param xt - `nFeatures × batch` input
 * @returns `models × batch × outputs` outputs and the caches for {@link backward}
 */
export function forward(ctx: ForwardContext, xt: tf.Tensor): ForwardResult {
  const { layout, products } = ctx;
  const caches: LayerCache[] = [];
  const batch = xt.shape[1] ?? 1;
  let h = xt;
  for (let l = 0; l < layout.layers.length; l++) {
    const shape = layout.layers[l];
    const input = h;
    if (!shape.hidden && l > 0) {
      caches.push({ input });
      return { output: outputLayer(ctx, h, l, batch), caches };
    }
    let z = l === 0
      ? tf.matMul(wholeSegment(ctx, 0, 'kernel', layout.nFeatures), xt)
      : tf.reshape(blockMatMul(ctx.params, h, products.hiddenForward(l, batch)), [shape.totalOutputs, batch]);
    z = tf.add(z, wholeSegment(ctx, l, 'bias', 1));
    if (!shape.hidden) {
      caches.push({ input });
      return { output: tf.transpose(tf.reshape(z, [layout.specs.length, layout.nOutputs, batch]), [0, 2, 1]), caches };
    }
    const norm = layout.specs[0].batchNorm ? batchNormForward(ctx, l, z) : { y: z };
    const a = activate(ctx.activation, norm.y);
    const mask = ctx.training ? ctx.masks?.[l] : undefined;
    h = mask === undefined ? a : tf.mul(a, mask);
    caches.push({ input, a, ...norm });
  }
  throw new Error('a network needs an output layer');
}

/** The output layer after hidden layers: per model `h_kᵀ · W_k` (`batch × outputs`), plus bias. */
function outputLayer(ctx: ForwardContext, h: tf.Tensor, l: number, batch: number): tf.Tensor {
  const { layout, products } = ctx;
  const models = layout.specs.length;
  const hT = stackBlocks(h, products.rowBlocks(l - 1, batch), true);
  const stacked = tf.reshape(blockMatMul(hT, ctx.params, products.outputForward(l, batch)), [models, batch, layout.nOutputs]);
  return tf.add(stacked, tf.reshape(wholeSegment(ctx, l, 'bias', 1), [models, 1, layout.nOutputs]));
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
    const { products } = ctx;
    const hT = stackBlocks(fwd.caches[l].input, products.rowBlocks(l - 1, batch), true);
    grads.set(`${l}:kernel`, blockMatMul(dz, hT, products.hiddenKernelGrad(l, batch)));
    const kernelsT = stackBlocks(ctx.params, products.kernelBlocks(l, false), true);
    const dh = tf.reshape(blockMatMul(kernelsT, dz, products.hiddenInputGrad(l, batch)), [layout.layers[l].totalInputs, batch]);
    dz = hiddenBackward(ctx, l - 1, fwd.caches[l - 1], dh, grads);
  }
  return tf.concat(layout.segments.map((s) => grads.get(`${s.layer}:${s.kind}`) ?? missing(s.layer, s.kind)), 0);
}

/** Gradients of the output layer's kernel and bias; returns d loss / d h of the last hidden layer. */
function outputBackward(ctx: ForwardContext, h: tf.Tensor, dOutput: tf.Tensor, grads: Map<string, tf.Tensor>): tf.Tensor {
  const { layout, products } = ctx;
  const l = layout.layers.length - 1;
  const batch = dOutput.shape[1] ?? 1;
  grads.set(`${l}:bias`, tf.reshape(tf.sum(dOutput, 1), [-1]));
  grads.set(`${l}:kernel`, blockMatMul(h, dOutput, products.outputKernelGrad(l, batch)));
  const dOutT = stackBlocks(dOutput, products.outputBlocks(l, batch), true);
  return tf.reshape(blockMatMul(ctx.params, dOutT, products.outputInputGrad(l, batch)), [layout.layers[l].totalInputs, batch]);
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
