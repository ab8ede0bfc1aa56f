/**
 * Episodic meta-training of a {@link ScoringNetwork}. Each step draws `tasksPerStep` episodes; an
 * episode is one training task with a support set (its "already evaluated" configurations, none in
 * a `zeroShotShare` of the steps) and a query set. The head is adapted on the support set by the
 * same unrolled inner loop as `head.ts`, and the loss on the query set is ListNet's listwise softmax
 * cross-entropy between the normalised scores and the predictions (temperature τ) plus
 * `mseWeight` × the squared error, so that predictions stay on the normalised scale. Gradients flow
 * through the inner loop into the body and the step size (MAML with an analytic last-layer step).
 */
import { tf } from '../backend/tf.ts';
import { Random } from '../random.ts';
import { INNER_STEPS } from './head.ts';
import type { ScoringNetwork } from './network.ts';
import type { EpisodicSettings } from './shapes.ts';

export type { EpisodicSettings } from './shapes.ts';

/** One training task as network inputs. */
export interface EpisodeTask {
  /** n rows of (scaled meta-features ⊕ one-hot configuration), row-major. */
  readonly x: Float32Array;
  /** n normalised scores in [0, 1]. */
  readonly y: Float32Array;
  readonly n: number;
}


/**
 * Passes over the training evaluations (as query examples) that the default step count gives:
 * {@link defaultSteps}. Measured on the mlp part of the shipped database (200 configurations ×
 * 109 tasks, 5-fold leave-tasks-out, zero-shot regret @1/@3/@5/@10): 500 steps (~5 passes)
 * .105/.056/.048/.035, 1,500 steps (~17 passes) .086/.058/.046/.037 — the network was
 * under-trained when tasks carry 200 evaluations; the linear part (50 per task) needs no more
 * than the 500-step floor.
 */
export const TRAINING_PASSES = 15;

/**
 * @param totalEvaluations - the training tasks' evaluations together
 * @param settings - tasks per step and query size (the examples a step sees)
 * @returns the default number of steps: {@link TRAINING_PASSES} passes over the evaluations, at least
 *   {@link DEFAULT_EPISODIC_SETTINGS}' steps
 */
export function defaultSteps(totalEvaluations: number, settings: Pick<EpisodicSettings, 'tasksPerStep' | 'querySize'> = DEFAULT_EPISODIC_SETTINGS): number {
  const perStep = settings.tasksPerStep * settings.querySize;
  return Math.max(DEFAULT_EPISODIC_SETTINGS.steps, Math.ceil((TRAINING_PASSES * totalEvaluations) / perStep));
}

/** Defaults sized for a few hundred tasks on a CPU (`steps` is the floor of {@link defaultSteps}). */
export const DEFAULT_EPISODIC_SETTINGS: EpisodicSettings = {
  steps: 500, tasksPerStep: 8, querySize: 24, maxSupport: 12, zeroShotShare: 0.3,
  learningRate: 3e-3, temperature: 0.1, mseWeight: 1,
};

interface Batch {
  readonly b: number;
  readonly s: number;
  readonly q: number;
  readonly xs: Float32Array;
  readonly xq: Float32Array;
  readonly yq: Float32Array;
  /** pairs[b, i, j] = 1 when support score i > support score j. */
  readonly pairs: Float32Array;
  readonly pairCounts: Float32Array;
}

/**
 * Trains a network in place.
 * @param net - the network (its variables are updated)
 * @param tasks - the training tasks
 * @param settings - see {@link EpisodicSettings}
 * @param seed - seeds the episode draws
 * @returns the mean loss over the last tenth of the steps
 */
export function trainEpisodic(net: ScoringNetwork, tasks: readonly EpisodeTask[], settings: EpisodicSettings, seed: number): number {
  const rng = new Random(seed);
  const optimizer = tf.train.adam(settings.learningRate);
  const tail = Math.max(1, Math.floor(settings.steps / 10));
  let tailLoss = 0;
  try {
    for (let step = 0; step < settings.steps; step++) {
      const batch = drawBatch(tasks, settings, rng, net.shape.input);
      const cost = optimizer.minimize(() => episodeLoss(net, batch, settings), step >= settings.steps - tail, [...net.variables]);
      if (cost !== null) {
        tailLoss += cost.dataSync()[0] / tail;
        cost.dispose();
      }
    }
  } finally {
    optimizer.dispose();
  }
  return tailLoss;
}

function drawBatch(tasks: readonly EpisodeTask[], settings: EpisodicSettings, rng: Random, d: number): Batch {
  const b = settings.tasksPerStep;
  const q = settings.querySize;
  const s = rng.next() < settings.zeroShotShare ? 0 : 2 + rng.int(Math.max(1, settings.maxSupport - 1));
  const xs = new Float32Array(b * s * d);
  const xq = new Float32Array(b * q * d);
  const yq = new Float32Array(b * q);
  const pairs = new Float32Array(b * s * s);
  const pairCounts = new Float32Array(b);
  for (let e = 0; e < b; e++) {
    const task = tasks[rng.int(tasks.length)];
    const order = rng.permutation(task.n);
    const support = Array.from({ length: s }, (_, i) => (s < task.n ? order[i] : rng.int(task.n)));
    const rest = s < task.n ? order.subarray(s) : order;
    support.forEach((row, i) => xs.set(task.x.subarray(row * d, (row + 1) * d), (e * s + i) * d));
    for (let i = 0; i < q; i++) {
      const row = rest[i < rest.length ? i : rng.int(rest.length)];
      xq.set(task.x.subarray(row * d, (row + 1) * d), (e * q + i) * d);
      yq[e * q + i] = task.y[row];
    }
    for (let i = 0; i < s; i++) {
      for (let j = 0; j < s; j++) {
        const better = task.y[support[i]] > task.y[support[j]] ? 1 : 0;
        pairs[(e * s + i) * s + j] = better;
        pairCounts[e] += better;
      }
    }
  }
  return { b, s, q, xs, xq, yq, pairs, pairCounts: pairCounts.map((c) => Math.max(1, c)) };
}

function episodeLoss(net: ScoringNetwork, batch: Batch, settings: EpisodicSettings): tf.Scalar {
  const { b, s, q } = batch;
  const d = net.shape.input;
  const [, , , , wHead, bHead, logAlpha] = net.variables;
  let w: tf.Tensor = tf.tile(tf.expandDims(wHead, 0), [b, 1, 1]);
  if (s > 0) w = innerLoop(net.body(tf.tensor3d(batch.xs, [b, s, d])), w, batch, logAlpha);
  const hq = net.body(tf.tensor3d(batch.xq, [b, q, d]));
  const fq = tf.add(tf.squeeze(tf.matMul(hq, w), [2]), bHead);
  const yq = tf.tensor2d(batch.yq, [b, q]);
  const target = tf.softmax(tf.div(yq, settings.temperature));
  const listwise = tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(tf.div(fq, settings.temperature))), 1)));
  const mse = tf.mean(tf.square(tf.sub(fq, yq)));
  return tf.add(listwise, tf.mul(mse, settings.mseWeight));
}

/** The unrolled inner loop of `head.ts`, batched over episodes: hs [b, s, hidden], w [b, hidden, 1]. */
function innerLoop(hs: tf.Tensor, w0: tf.Tensor, batch: Batch, logAlpha: tf.Tensor): tf.Tensor {
  const pairs = tf.tensor3d(batch.pairs, [batch.b, batch.s, batch.s]);
  const counts = tf.tensor3d(batch.pairCounts, [batch.b, 1, 1]);
  const alpha = tf.exp(logAlpha);
  let w = w0;
  for (let step = 0; step < INNER_STEPS; step++) {
    const f = tf.matMul(hs, w);
    const diff = tf.sub(f, tf.transpose(f, [0, 2, 1]));
    const g = tf.neg(tf.mul(pairs, tf.sigmoid(tf.neg(diff))));
    const gf = tf.sub(tf.sum(g, 2), tf.sum(g, 1));
    const gw = tf.div(tf.matMul(hs, tf.expandDims(gf, 2), true, false), counts);
    w = tf.sub(w, tf.mul(alpha, gw));
  }
  return w;
}
