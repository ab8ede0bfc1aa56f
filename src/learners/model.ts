/**
 * A trained dense network (MLP or linear model): serialisable to plain JSON by name
 * (`metatune.dense-network`), loadable, and able to predict on encoded rows.
 */
import { tf } from '../backend/tf.ts';
import { withSyncReads } from '../backend/sync-reads.ts';
import { TrainingError } from '../errors.ts';
import type { Activation, Configuration, LearnerName } from './config.ts';
import type { MemberResult } from './member-result.ts';
import type { GroupLayout } from './layout.ts';
import { activate, BN_EPSILON } from './network.ts';
import type { EncodedFloats, SerializedLayer, SerializedModel } from './types.ts';

/** A layer's weights, Keras orientation. */
interface DenseLayer {
  readonly inputs: number;
  readonly units: number;
  /** Row-major `inputs × units`. */
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly batchNorm?: { gamma: Float32Array; beta: Float32Array; movingMean: Float32Array; movingVariance: Float32Array };
}

/** A trained network. */
export class DenseNetwork {
  private constructor(
    readonly learner: LearnerName,
    readonly task: 'classification' | 'regression',
    readonly config: Configuration,
    readonly activation: Activation,
    readonly layers: readonly DenseLayer[],
  ) {}

  /**
   * Extracts one trained member of a group.
   * @param layout - the group's layout
   * @param k - the member's index
   * @param result - its training result (best weights)
   * @param meta - learner, task and configuration
   */
  static fromMember(layout: GroupLayout, k: number, result: MemberResult, meta: { learner: LearnerName; task: 'classification' | 'regression'; config: Configuration }): DenseNetwork {
    const layers = layout.layers.map((shape, l): DenseLayer => {
      const read = (kind: 'kernel' | 'bias' | 'gamma' | 'beta') => {
        const s = layout.segment(l, kind);
        return result.params.slice(s.localOffsets[k], s.localOffsets[k] + s.sizes[k]);
      };
      const inputs = shape.inputs[k];
      const units = shape.outputs[k];
      const bn = shape.hidden && layout.specs[k].batchNorm
        ? { gamma: read('gamma'), beta: read('beta'), movingMean: result.movingMean[l], movingVariance: result.movingVariance[l] }
        : undefined;
      // Kernels are stored out × in, except the output layer after hidden layers (in × out).
      const kernel = !shape.hidden && l > 0 ? read('kernel') : transposeMatrix(read('kernel'), units, inputs);
      return { inputs, units, kernel, bias: read('bias'), batchNorm: bn };
    });
    return new DenseNetwork(meta.learner, meta.task, meta.config, layout.specs[k].activation, layers);
  }

  /** @returns the network as JSON-safe data (weights as base64 float32) */
  toJSON(): SerializedModel {
    return {
      format: 'metatune.dense-network',
      formatVersion: 1,
      learner: this.learner,
      task: this.task,
      config: this.config,
      activation: this.activation,
      nFeatures: this.layers[0].inputs,
      nOutputs: this.layers[this.layers.length - 1].units,
      layers: this.layers.map((layer): SerializedLayer => ({
        inputs: layer.inputs,
        units: layer.units,
        kernel: encode(layer.kernel),
        bias: encode(layer.bias),
        batchNorm: layer.batchNorm === undefined ? undefined : {
          gamma: encode(layer.batchNorm.gamma),
          beta: encode(layer.batchNorm.beta),
          movingMean: encode(layer.batchNorm.movingMean),
          movingVariance: encode(layer.batchNorm.movingVariance),
        },
      })),
    };
  }

  /**
   * Rebuilds a network from {@link toJSON}'s output.
   * @throws TrainingError when the data is not a metatune dense network or its sizes disagree
   */
  static load(json: SerializedModel): DenseNetwork {
    if (json.format !== 'metatune.dense-network' || json.formatVersion !== 1) {
      throw new TrainingError(`not a metatune dense network (format ${String(json.format)} version ${String(json.formatVersion)})`);
    }
    if (!Array.isArray(json.layers) || json.layers.length === 0) throw new TrainingError('a dense network needs at least one layer');
    json.layers.forEach((layer, l) => {
      const expected = l === 0 ? json.nFeatures : json.layers[l - 1].units;
      if (layer.inputs !== expected) throw new TrainingError(`layer ${l} takes ${layer.inputs} inputs, expected ${expected}`);
    });
    const activations: readonly Activation[] = ['relu', 'elu', 'tanh', 'gelu', 'linear'];
    const activation = activations.find((a) => a === json.activation);
    if (activation === undefined) throw new TrainingError(`unknown activation '${json.activation}'`);
    const layers = json.layers.map((layer, l) => {
      const decoded = (value: EncodedFloats, size: number, what: string) => decode(value, size, `layer ${l} ${what}`);
      const n = layer.units;
      const bn = layer.batchNorm;
      return {
        inputs: layer.inputs,
        units: n,
        kernel: decoded(layer.kernel, layer.inputs * n, 'kernel'),
        bias: decoded(layer.bias, n, 'bias'),
        batchNorm: bn === undefined ? undefined : {
          gamma: decoded(bn.gamma, n, 'gamma'), beta: decoded(bn.beta, n, 'beta'),
          movingMean: decoded(bn.movingMean, n, 'moving mean'), movingVariance: decoded(bn.movingVariance, n, 'moving variance'),
        },
      };
    });
    return new DenseNetwork(json.learner, json.task, json.config, activation, layers);
  }

  /**
   * Predicts on encoded rows (the same encoding as training). Runs on the active backend, or on
   * cpu while webgpu is active (see `withSyncReads`).
   * @param X - row-major `nRows × nFeatures`
   * @param nRows - number of rows
   * @returns row-major `nRows × nClasses` probabilities, or `nRows` values
   * @throws TrainingError when X has the wrong size
   */
  predict(X: Float32Array, nRows: number): Float32Array {
    const nFeatures = this.layers[0].inputs;
    if (X.length !== nRows * nFeatures) {
      throw new TrainingError(`expected ${nRows} × ${nFeatures} = ${nRows * nFeatures} values, got ${X.length}`);
    }
    return withSyncReads(() => this.forward(X, nRows, nFeatures));
  }

  private forward(X: Float32Array, nRows: number, nFeatures: number): Float32Array {
    const out = tf.tidy(() => {
      let h: tf.Tensor = tf.tensor2d(X, [nRows, nFeatures]);
      this.layers.forEach((layer, l) => {
        h = tf.add(tf.matMul(h, tf.tensor2d(layer.kernel, [layer.inputs, layer.units])), tf.tensor1d(layer.bias));
        if (l === this.layers.length - 1) return;
        const bn = layer.batchNorm;
        if (bn !== undefined) {
          const rstd = tf.rsqrt(tf.add(tf.tensor1d(bn.movingVariance), BN_EPSILON));
          h = tf.add(tf.mul(tf.mul(tf.sub(h, tf.tensor1d(bn.movingMean)), rstd), tf.tensor1d(bn.gamma)), tf.tensor1d(bn.beta));
        }
        h = activate(this.activation, h);
      });
      return this.task === 'classification' ? tf.softmax(h) : tf.reshape(h, [-1]);
    });
    try {
      return Float32Array.from(out.dataSync());
    } finally {
      out.dispose();
    }
  }
}

/**
 * Predicts with a serialised model.
 * @param model - output of {@link DenseNetwork.toJSON}
 * @param X - row-major encoded rows
 * @param nRows - number of rows
 * @returns probabilities (`nRows × nClasses`) or values (`nRows`)
 */
export function predict(model: SerializedModel, X: Float32Array, nRows: number): Float32Array {
  return DenseNetwork.load(model).predict(X, nRows);
}

function transposeMatrix(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j];
  return out;
}

function encode(values: Float32Array): EncodedFloats {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function decode(value: EncodedFloats, size: number, what: string): Float32Array {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.byteLength !== size * 4) throw new TrainingError(`${what}: expected ${size} float32 values, got ${bytes.byteLength / 4}`);
  const out = new Float32Array(size);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
