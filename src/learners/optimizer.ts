/**
 * One optimizer update for all models of a group, on the flat parameter vector, whatever mix of
 * optimizers they use. Each element carries its model's coefficients:
 *
 *   g ← ∇ + 2·l2·w + l1·sign(w)            (penalties on kernels only)
 *   m ← a1·m + c1·g
 *   s ← a2·s + c2·g²
 *   w ← w − lr_t·m / (√s + ε) − lr_t·λ·w
 *
 * sgd: a1 = 0, c1 = 1, s ≡ 0, ε = 1. sgd-momentum (PyTorch form): a1 = μ, c1 = 1. rmsprop (Keras):
 * a1 = 0, c1 = 1, a2 = ρ = 0.9, c2 = 0.1, ε = 1e-7. adam/adamw (Keras): a1 = β1 = 0.9, c1 = 0.1,
 * a2 = β2 = 0.999, c2 = 0.001, ε = 1e-7, and lr_t carries the bias correction √(1−β2ᵗ)/(1−β1ᵗ).
 * AdamW applies its `l2` as decoupled weight decay λ instead of a gradient penalty. A model whose
 * lr_t is 0 (stopped, finished or failed) keeps its weights.
 */
import { tf } from '../backend/tf.ts';
import { flatUpdate, fusedUpdateAvailable } from '../backend/flat-update.ts';
import type { ModelSpec } from './config.ts';
import type { GroupLayout } from './layout.ts';

const BETA1 = 0.9;
const BETA2 = 0.999;
const RHO = 0.9;
const ADAPTIVE_EPSILON = 1e-7;

interface Coefficients {
  a1: number;
  c1: number;
  a2: number;
  c2: number;
  epsilon: number;
}

function coefficients(spec: ModelSpec): Coefficients {
  switch (spec.optimizer) {
    case 'sgd':
      return { a1: 0, c1: 1, a2: 0, c2: 0, epsilon: 1 };
    case 'sgd-momentum':
      return { a1: spec.momentum, c1: 1, a2: 0, c2: 0, epsilon: 1 };
    case 'rmsprop':
      return { a1: 0, c1: 1, a2: RHO, c2: 1 - RHO, epsilon: ADAPTIVE_EPSILON };
    case 'adam':
    case 'adamw':
      return { a1: BETA1, c1: 1 - BETA1, a2: BETA2, c2: 1 - BETA2, epsilon: ADAPTIVE_EPSILON };
  }
}

/** The learning-rate factor of Adam's bias correction at step `t` (1-based). */
export function biasCorrection(t: number): number {
  return Math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t);
}

function isAdam(spec: ModelSpec): boolean {
  return spec.optimizer === 'adam' || spec.optimizer === 'adamw';
}

/** One epoch's per-element learning rates, split by whether Adam's bias correction applies. */
export interface EpochRates {
  readonly adam: tf.Tensor | undefined;
  readonly plain: tf.Tensor | undefined;
}

/** Optimizer state of a group: first and second moments, flat like the parameters. */
export interface OptimizerState {
  readonly m: tf.Tensor;
  readonly s: tf.Tensor;
}

/** The per-element coefficient vectors of a group, uploaded once. */
export class FlatOptimizer {
  private readonly a1: tf.Tensor;
  private readonly c1: tf.Tensor;
  private readonly a2: tf.Tensor;
  private readonly c2: tf.Tensor;
  private readonly epsilon: tf.Tensor;
  private readonly l2: tf.Tensor | undefined;
  private readonly l1: tf.Tensor | undefined;
  private readonly decay: tf.Tensor | undefined;
  private readonly useMoment: boolean;
  private readonly useSecond: boolean;
  /** Whether updates run the fused wasm pass (decided once: the backend is set before a group trains). */
  private readonly fused: boolean;

  /** @param layout - the group's layout; its specs give each model's optimizer */
  constructor(layout: GroupLayout) {
    const specs = layout.specs;
    const coef = specs.map(coefficients);
    const on = (k: number, kind: string) => kind === 'kernel';
    this.a1 = tf.tensor1d(layout.perElement((k) => coef[k].a1));
    this.c1 = tf.tensor1d(layout.perElement((k) => coef[k].c1));
    this.a2 = tf.tensor1d(layout.perElement((k) => coef[k].a2));
    this.c2 = tf.tensor1d(layout.perElement((k) => coef[k].c2));
    this.epsilon = tf.tensor1d(layout.perElement((k) => coef[k].epsilon));
    const coupled = (k: number) => (specs[k].optimizer === 'adamw' ? 0 : 2 * specs[k].l2);
    this.l2 = specs.some((s, k) => coupled(k) > 0) ? tf.tensor1d(layout.perElement((k, kind) => (on(k, kind) ? coupled(k) : 0))) : undefined;
    this.l1 = specs.some((s) => s.l1 > 0) ? tf.tensor1d(layout.perElement((k, kind) => (on(k, kind) ? specs[k].l1 : 0))) : undefined;
    const decoupled = (k: number) => (specs[k].optimizer === 'adamw' ? specs[k].l2 : 0);
    this.decay = specs.some((s, k) => decoupled(k) > 0) ? tf.tensor1d(layout.perElement((k, kind) => (on(k, kind) ? decoupled(k) : 0))) : undefined;
    this.useMoment = coef.some((c) => c.a1 !== 0 || c.c1 !== 1);
    this.useSecond = coef.some((c) => c.c2 !== 0);
    this.fused = fusedUpdateAvailable();
  }

  /**
   * Uploads one epoch's learning rates.
   * @param layout - the group's layout
   * @param baseLr - each model's scheduled learning rate this epoch (0 freezes it)
   * @returns per-element rates; dispose them after the epoch
   */
  epochRates(layout: GroupLayout, baseLr: readonly number[]): EpochRates {
    const specs = layout.specs;
    const upload = (adam: boolean) => (specs.some((s) => isAdam(s) === adam)
      ? tf.tensor1d(layout.perElement((k) => (isAdam(specs[k]) === adam ? baseLr[k] : 0)))
      : undefined);
    return { adam: upload(true), plain: upload(false) };
  }

  /** @returns zero moments for a parameter vector of this size */
  initialState(size: number): OptimizerState {
    return { m: tf.zeros([size]), s: tf.zeros([size]) };
  }

  /**
   * One update. Call inside `tf.tidy`. On the wasm backend it is one fused WebAssembly pass
   * (`src/backend/flat-update.ts`, bit-identical to the ops below); elsewhere, the tfjs ops.
   * @param params - flat parameters
   * @param grad - flat gradient of the mean batch loss
   * @param state - moments
   * @param rates - this epoch's learning rates
   * @param step - 1-based step count (for Adam's bias correction)
   * @returns the new parameters and moments
   */
  update(params: tf.Tensor, grad: tf.Tensor, state: OptimizerState, rates: EpochRates, step: number): { params: tf.Tensor; state: OptimizerState } {
    if (this.fused) {
      const terms = {
        adam: rates.adam !== undefined, plain: rates.plain !== undefined, l2: this.l2 !== undefined, l1: this.l1 !== undefined,
        moment: this.useMoment, second: this.useSecond, decay: this.decay !== undefined,
      };
      const out = flatUpdate({
        params, grad, m: state.m, s: state.s, adam: rates.adam, plain: rates.plain, a1: this.a1, c1: this.c1, a2: this.a2, c2: this.c2,
        epsilon: this.epsilon, l2: this.l2, l1: this.l1, decay: this.decay,
      }, terms, biasCorrection(step));
      return { params: out.params, state: { m: out.m ?? state.m, s: out.s ?? state.s } };
    }
    const adam = rates.adam === undefined ? undefined : tf.mul(rates.adam, biasCorrection(step));
    const lr = adam === undefined ? rates.plain ?? tf.zeros(params.shape) : rates.plain === undefined ? adam : tf.add(adam, rates.plain);
    let g = grad;
    if (this.l2 !== undefined) g = tf.add(g, tf.mul(this.l2, params));
    if (this.l1 !== undefined) g = tf.add(g, tf.mul(this.l1, tf.sign(params)));
    const m = this.useMoment ? tf.add(tf.mul(this.a1, state.m), tf.mul(this.c1, g)) : g;
    const s = this.useSecond ? tf.add(tf.mul(this.a2, state.s), tf.mul(this.c2, tf.square(g))) : state.s;
    const direction = this.useSecond ? tf.div(m, tf.add(tf.sqrt(s), this.epsilon)) : m;
    let next = tf.sub(params, tf.mul(lr, direction));
    if (this.decay !== undefined) next = tf.sub(next, tf.mul(tf.mul(lr, this.decay), params));
    return { params: next, state: { m: this.useMoment ? m : state.m, s } };
  }

  /** Frees the coefficient vectors. */
  dispose(): void {
    tf.dispose([this.a1, this.c1, this.a2, this.c2, this.epsilon]);
    if (this.l2 !== undefined) this.l2.dispose();
    if (this.l1 !== undefined) this.l1.dispose();
    if (this.decay !== undefined) this.decay.dispose();
  }
}
