/**
 * A trained dense network as a standard TensorFlow.js layers model: the `model.json` that
 * `tf.loadLayersModel` reads (a `Sequential` topology and its weight manifest) and the bytes of
 * `weights.bin` (little-endian float32, in manifest order).
 *
 * The topology is the network's own arithmetic in Keras layers: per hidden layer
 * `Dense` (linear) → `BatchNormalization` (ε 1e-3) → `Activation`, or `Dense` with its activation
 * when there is no batch normalisation (dropout only acts in training, so it has no layer); then
 * the output `Dense` with `softmax` (classification) or `linear` (regression, one unit). GELU is
 * Keras's `gelu`, the exact erf form the trainer uses.
 *
 * Pure: no Node built-ins, so that the browser predictor can share it.
 */
import { InputError } from '../errors.ts';

/** Hidden activations a layers model can carry. */
export type NetworkActivation = 'relu' | 'elu' | 'tanh' | 'gelu' | 'linear';

/** One dense layer's weights, Keras orientation. */
export interface DenseLayerWeights {
  readonly inputs: number;
  readonly units: number;
  /** Row-major `inputs × units`. */
  readonly kernel: Float32Array;
  readonly bias: Float32Array;
  readonly batchNorm?: {
    readonly gamma: Float32Array;
    readonly beta: Float32Array;
    readonly movingMean: Float32Array;
    readonly movingVariance: Float32Array;
  };
}

/** A dense network: hidden layers, then the output layer. */
export interface NetworkWeights {
  readonly task: 'classification' | 'regression';
  readonly activation: NetworkActivation;
  readonly layers: readonly DenseLayerWeights[];
}

/** One entry of a weight manifest. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: 'float32';
}

/** The content of a layers model's `model.json`, as tfjs-layers 4 writes it. */
export interface LayersModelJSON {
  readonly format: 'layers-model';
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: {
    readonly class_name: 'Sequential';
    readonly config: { readonly name: string; readonly layers: readonly LayerConfig[] };
    readonly keras_version: string;
    readonly backend: 'tensor_flow.js';
  };
  readonly weightsManifest: readonly { readonly paths: readonly string[]; readonly weights: readonly WeightSpec[] }[];
}

/** A Keras layer in a topology. */
export interface LayerConfig {
  readonly class_name: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** The weights file beside `model.json`. */
export const WEIGHTS_FILE = 'weights.bin';
/** The tfjs-layers version whose format is written (the one metatune is built against). */
const LAYERS_VERSION = '4.22.0';
/** Keras's BatchNormalization epsilon, as the trainer uses. */
const BN_EPSILON = 1e-3;
const ACTIVATIONS: readonly NetworkActivation[] = ['relu', 'elu', 'tanh', 'gelu', 'linear'];

/**
 * Writes a network as a layers model.
 * @param network - the trained network
 * @returns `model.json`'s content and `weights.bin`'s bytes
 */
export function toLayersModel(network: NetworkWeights): { modelJSON: LayersModelJSON; weightData: Uint8Array } {
  const layers: LayerConfig[] = [];
  const specs: WeightSpec[] = [];
  const arrays: Float32Array[] = [];
  const add = (name: string, shape: number[], values: Float32Array) => {
    specs.push({ name, shape, dtype: 'float32' });
    arrays.push(values);
  };
  const last = network.layers.length - 1;
  network.layers.forEach((layer, l) => {
    const name = l === last ? 'output' : `dense_${l}`;
    const bn = layer.batchNorm;
    const activation = l === last ? (network.task === 'classification' ? 'softmax' : 'linear') : bn === undefined ? network.activation : 'linear';
    layers.push(denseConfig(name, layer.units, activation, l === 0 ? layer.inputs : undefined));
    add(`${name}/kernel`, [layer.inputs, layer.units], layer.kernel);
    add(`${name}/bias`, [layer.units], layer.bias);
    if (l === last || bn === undefined) return;
    layers.push(batchNormConfig(`batch_normalization_${l}`));
    add(`batch_normalization_${l}/gamma`, [layer.units], bn.gamma);
    add(`batch_normalization_${l}/beta`, [layer.units], bn.beta);
    add(`batch_normalization_${l}/moving_mean`, [layer.units], bn.movingMean);
    add(`batch_normalization_${l}/moving_variance`, [layer.units], bn.movingVariance);
    layers.push({ class_name: 'Activation', config: { activation: network.activation, name: `activation_${l}`, trainable: true } });
  });
  return {
    modelJSON: {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${LAYERS_VERSION}`,
      convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: 'metatune', layers }, keras_version: `tfjs-layers ${LAYERS_VERSION}`, backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: specs }],
    },
    weightData: concatFloats(arrays),
  };
}

function denseConfig(name: string, units: number, activation: string, inputs: number | undefined): LayerConfig {
  return {
    class_name: 'Dense',
    config: {
      units,
      activation,
      use_bias: true,
      kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      name,
      trainable: true,
      ...(inputs === undefined ? {} : { batch_input_shape: [null, inputs], dtype: 'float32' }),
    },
  };
}

function batchNormConfig(name: string): LayerConfig {
  return {
    class_name: 'BatchNormalization',
    config: {
      axis: -1, momentum: 0.99, epsilon: BN_EPSILON, center: true, scale: true,
      beta_initializer: { class_name: 'Zeros', config: {} },
      gamma_initializer: { class_name: 'Ones', config: {} },
      moving_mean_initializer: { class_name: 'Zeros', config: {} },
      moving_variance_initializer: { class_name: 'Ones', config: {} },
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
      name, trainable: true,
    },
  };
}

/** Little-endian bytes of the arrays one after the other. */
function concatFloats(arrays: readonly Float32Array[]): Uint8Array {
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const out = new Uint8Array(total * 4);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++, at += 4) view.setFloat32(at, a[i], true);
  }
  return out;
}

/**
 * Reads back a layers model that {@link toLayersModel} wrote (the topology it writes, nothing
 * else), checking every shape against the weight bytes.
 * @param value - `model.json` parsed
 * @param weightData - the bytes of the manifest's weight files, concatenated in order
 * @param file - `model.json`'s path, for messages
 * @returns the network
 * @throws InputError naming the file and what does not match
 */
export function readLayersModel(value: unknown, weightData: Uint8Array, file: string): NetworkWeights {
  const fail = (message: string): never => {
    throw new InputError(message, { file });
  };
  const root = asRecord(value) ?? fail('not a JSON object');
  if (root.format !== 'layers-model') fail(`format is ${JSON.stringify(root.format)}, expected "layers-model" (a TensorFlow.js layers model)`);
  const topology = asRecord(root.modelTopology) ?? fail('modelTopology is missing');
  const config = asRecord(topology.config) ?? fail('modelTopology.config is missing');
  const rawLayers: unknown[] = topology.class_name === 'Sequential' && Array.isArray(config.layers) ? config.layers : fail('modelTopology is not a Sequential model with layers');
  const specs = manifestSpecs(root.weightsManifest, fail);
  const weights = new WeightReader(specs, weightData, fail);
  const layers: LayerConfig[] = rawLayers.map((layer, i) => {
    const r = asRecord(layer);
    const c = asRecord(r?.config);
    if (r === undefined || c === undefined || typeof r.class_name !== 'string') return fail(`modelTopology layer ${i} is not a {class_name, config} object`);
    return { class_name: r.class_name, config: c };
  });
  return parseLayers(layers, weights, fail);
}

function parseLayers(layers: readonly LayerConfig[], weights: WeightReader, fail: (message: string) => never): NetworkWeights {
  const dense: DenseLayerWeights[] = [];
  let activation: NetworkActivation | undefined;
  let task: NetworkWeights['task'] | undefined;
  for (let i = 0; i < layers.length; i++) {
    const { class_name: kind, config } = layers[i];
    if (kind !== 'Dense') fail(`layer ${i} is a ${kind}, expected Dense`);
    const name = String(config.name);
    const units = positiveInt(config.units) ?? fail(`layer ${name}: units must be a positive integer`);
    const inputs = dense.length === 0 ? inputWidth(config, fail) : dense[dense.length - 1].units;
    const kernel = weights.take(`${name}/kernel`, [inputs, units]);
    const bias = weights.take(`${name}/bias`, [units]);
    const next = layers[i + 1];
    if (next === undefined) {
      if (config.activation !== 'softmax' && config.activation !== 'linear') fail(`output layer ${name}: activation must be softmax or linear`);
      task = config.activation === 'softmax' ? 'classification' : 'regression';
      dense.push({ inputs, units, kernel, bias });
      break;
    }
    let batchNorm: DenseLayerWeights['batchNorm'];
    let act = config.activation;
    if (next.class_name === 'BatchNormalization') {
      const bn = String(next.config.name);
      if (next.config.epsilon !== BN_EPSILON) fail(`layer ${bn}: epsilon must be ${BN_EPSILON}`);
      batchNorm = {
        gamma: weights.take(`${bn}/gamma`, [units]), beta: weights.take(`${bn}/beta`, [units]),
        movingMean: weights.take(`${bn}/moving_mean`, [units]), movingVariance: weights.take(`${bn}/moving_variance`, [units]),
      };
      const after = layers[i + 2];
      if (config.activation !== 'linear' || after?.class_name !== 'Activation') fail(`layer ${bn}: expected linear Dense → BatchNormalization → Activation`);
      act = after.config.activation;
      i += 2;
    }
    const found = ACTIVATIONS.find((a) => a === act) ?? fail(`layer ${name}: unsupported activation ${JSON.stringify(act)}`);
    if (activation !== undefined && activation !== found) fail(`layer ${name}: every hidden layer must share one activation`);
    activation = found;
    dense.push({ inputs, units, kernel, bias, batchNorm });
  }
  if (task === undefined || dense.length === 0) return fail('the topology has no output Dense layer');
  weights.checkAllUsed();
  return { task, activation: activation ?? 'linear', layers: dense };
}

function inputWidth(config: Readonly<Record<string, unknown>>, fail: (message: string) => never): number {
  const shape = config.batch_input_shape;
  const width = Array.isArray(shape) && shape.length === 2 ? positiveInt(shape[1]) : undefined;
  return width ?? fail('the first layer needs batch_input_shape [null, features]');
}

function manifestSpecs(value: unknown, fail: (message: string) => never): WeightSpec[] {
  if (!Array.isArray(value)) return fail('weightsManifest is missing');
  return value.flatMap((group, g) => {
    const weights = asRecord(group)?.weights;
    if (!Array.isArray(weights)) return fail(`weightsManifest[${g}].weights is missing`);
    return weights.map((w, k): WeightSpec => {
      const spec = asRecord(w);
      const shape = spec?.shape;
      if (spec === undefined || typeof spec.name !== 'string' || !Array.isArray(shape) || !shape.every((d) => positiveInt(d) !== undefined)) {
        return fail(`weightsManifest[${g}].weights[${k}] needs a name and a shape of positive integers`);
      }
      if (spec.dtype !== 'float32') fail(`weight ${spec.name}: dtype must be float32`);
      return { name: spec.name, shape: shape.map(Number), dtype: 'float32' };
    });
  });
}

/** Cuts the weight bytes into the manifest's arrays, by name, checking shapes. */
class WeightReader {
  private readonly arrays = new Map<string, { shape: number[]; values: Float32Array }>();
  private readonly used = new Set<string>();

  constructor(specs: readonly WeightSpec[], data: Uint8Array, private readonly fail: (message: string) => never) {
    const needed = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
    if (data.byteLength !== needed) fail(`the manifest lists ${needed} bytes of weights but ${WEIGHTS_FILE} has ${data.byteLength}`);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let at = 0;
    for (const spec of specs) {
      const values = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < values.length; i++, at += 4) values[i] = view.getFloat32(at, true);
      if (this.arrays.has(spec.name)) fail(`weight ${spec.name} is listed twice`);
      this.arrays.set(spec.name, { shape: spec.shape, values });
    }
  }

  take(name: string, shape: readonly number[]): Float32Array {
    const found = this.arrays.get(name) ?? this.fail(`weight ${name} is missing from the manifest`);
    if (found.shape.join(',') !== shape.join(',')) this.fail(`weight ${name} has shape [${found.shape.join(', ')}], expected [${shape.join(', ')}]`);
    this.used.add(name);
    return found.values;
  }

  checkAllUsed(): void {
    const extra = [...this.arrays.keys()].find((name) => !this.used.has(name));
    if (extra !== undefined) this.fail(`weight ${extra} belongs to no layer`);
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : undefined;
}

function positiveInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}
