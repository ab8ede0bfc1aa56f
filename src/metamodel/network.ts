/**
 * The scoring network of the learned meta-model: an MLP body maps (scaled meta-features ⊕ one-hot
 * configuration) to an embedding h, and a linear head h·w + b predicts the configuration's
 * normalised score on the task. Adaptation to a new task (see `head.ts`) moves only w, by a few
 * gradient steps of a pairwise ranking loss on the configurations evaluated there, with a learned
 * step size α: the ANIL/FSBO recipe of a meta-learned body and a task-specific last layer.
 */
import { tf } from '../backend/tf.ts';
import { Random } from '../random.ts';
import type { HeadWeights, NetworkShape } from './shapes.ts';

export type { HeadWeights, NetworkShape } from './shapes.ts';



const PARAMETER_NAMES = ['w1', 'b1', 'w2', 'b2', 'w', 'b', 'logAlpha'] as const;

function parameterShapes(shape: NetworkShape): number[][] {
  const { input, hidden } = shape;
  return [[input, hidden], [hidden], [hidden, hidden], [hidden], [hidden, 1], [1], [1]];
}

/** The body and head of one ensemble member, as tfjs variables. */
export class ScoringNetwork {
  private constructor(readonly shape: NetworkShape, readonly variables: readonly tf.Variable[]) {}

  /**
   * @param shape - input and hidden sizes
   * @param seed - seeds the Glorot-uniform initialisation
   */
  static init(shape: NetworkShape, seed: number): ScoringNetwork {
    const rng = new Random(seed);
    const values = parameterShapes(shape).map((s, i) => {
      const size = s.reduce((a, b) => a * b, 1);
      if (PARAMETER_NAMES[i] === 'logAlpha') return Float32Array.of(Math.log(0.3));
      if (s.length === 1) return new Float32Array(size);
      const limit = Math.sqrt(6 / (s[0] + s[1]));
      return Float32Array.from({ length: size }, () => rng.uniform(-limit, limit));
    });
    return ScoringNetwork.fromArrays(shape, values);
  }

  /**
   * @param flat - every parameter concatenated in {@link ScoringNetwork.weights}' order
   * @throws RangeError when the length does not match the shape
   */
  static fromWeights(shape: NetworkShape, flat: Float32Array): ScoringNetwork {
    const shapes = parameterShapes(shape);
    const total = shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
    if (flat.length !== total) throw new RangeError(`expected ${total} weights for ${JSON.stringify(shape)}, got ${flat.length}`);
    let offset = 0;
    const values = shapes.map((s) => {
      const size = s.reduce((a, b) => a * b, 1);
      const part = flat.slice(offset, offset + size);
      offset += size;
      return part;
    });
    return ScoringNetwork.fromArrays(shape, values);
  }

  private static fromArrays(shape: NetworkShape, values: readonly Float32Array[]): ScoringNetwork {
    const shapes = parameterShapes(shape);
    return new ScoringNetwork(shape, values.map((v, i) => tf.tidy(() => tf.variable(tf.tensor(v, shapes[i]), true))));
  }

  /** @returns the number of weights of a network of this shape */
  static size(shape: NetworkShape): number {
    return parameterShapes(shape).reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0);
  }

  /**
   * The body: two ReLU layers.
   * @param x - inputs, [..., input]
   * @returns embeddings, [..., hidden]
   */
  body(x: tf.Tensor): tf.Tensor {
    const [w1, b1, w2, b2] = this.variables;
    const flat = tf.reshape(x, [-1, this.shape.input]);
    const h = tf.relu(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(flat, w1), b1)), w2), b2));
    return tf.reshape(h, [...x.shape.slice(0, -1), this.shape.hidden]);
  }

  /**
   * @param rows - n inputs of `shape.input` values each, row-major
   * @returns the n embeddings, row-major (n × hidden)
   */
  embed(rows: Float32Array, n: number): Float32Array {
    if (n === 0) return new Float32Array(0);
    return tf.tidy(() => {
      const out = this.body(tf.tensor2d(rows, [n, this.shape.input])).dataSync();
      return Float32Array.from(out);
    });
  }

  /** @returns the head and the inner step size */
  head(): HeadWeights {
    const [, , , , w, b, logAlpha] = this.variables;
    return { w: Float32Array.from(w.dataSync()), b: b.dataSync()[0], alpha: Math.exp(logAlpha.dataSync()[0]) };
  }

  /** @returns every parameter concatenated */
  weights(): Float32Array {
    const parts = this.variables.map((v) => v.dataSync());
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }

  /** Frees the variables. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
