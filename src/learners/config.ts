/**
 * Turns a configuration (hyperparameter name → value, inactive ones absent) into the typed
 * {@link ModelSpec} the trainer works with, checking every value. Absent hyperparameters take the
 * defaults of `search-spaces/mlp.json` and `linear.json`.
 */
import { SearchSpaceError } from '../errors.ts';

/** Hidden-layer activation functions. */
export type Activation = 'relu' | 'elu' | 'tanh' | 'gelu' | 'linear';
/** Optimizers; `linear` models always use plain `sgd`. */
export type OptimizerName = 'sgd' | 'sgd-momentum' | 'adam' | 'adamw' | 'rmsprop';
/** Per-epoch learning-rate schedules. */
export type LrSchedule = 'constant' | 'exponential' | 'cosine';
/** Learner families. */
export type LearnerName = 'mlp' | 'linear';

/** A configuration: hyperparameter name → value; inactive hyperparameters are absent. */
export type Configuration = Readonly<Record<string, number | string | boolean>>;

/** Everything the trainer needs to know about one model, validated. */
export interface ModelSpec {
  readonly learner: LearnerName;
  /** Hidden layers (0 for `linear`). */
  readonly hiddenLayers: number;
  /** Width of every hidden layer. */
  readonly units: number;
  readonly activation: Activation;
  readonly dropout: number;
  /** Coefficient of the squared L2 penalty on kernels (gradient 2·l2·w); AdamW: decoupled decay. */
  readonly l2: number;
  /** Coefficient of the L1 penalty on kernels (elastic net of `linear`). */
  readonly l1: number;
  readonly batchNorm: boolean;
  readonly optimizer: OptimizerName;
  readonly learningRate: number;
  readonly momentum: number;
  readonly batchSize: number;
  readonly lrSchedule: LrSchedule;
  readonly lrDecay: number;
  readonly patience: number;
  readonly maxEpochs: number;
}

const ACTIVATIONS: readonly Activation[] = ['relu', 'elu', 'tanh', 'gelu'];
const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'sgd-momentum', 'adam', 'adamw', 'rmsprop'];
const SCHEDULES: readonly LrSchedule[] = ['constant', 'exponential', 'cosine'];

const KNOWN: Readonly<Record<LearnerName, readonly string[]>> = {
  mlp: ['n_layers', 'units', 'activation', 'dropout', 'l2', 'batch_norm', 'optimizer', 'learning_rate', 'momentum',
    'batch_size', 'lr_schedule', 'lr_decay', 'patience', 'max_epochs'],
  linear: ['alpha', 'l1_ratio', 'learning_rate', 'lr_schedule', 'lr_decay', 'batch_size', 'patience', 'max_epochs'],
};

/**
 * Validates a configuration and fills in defaults.
 * @param learner - `mlp` or `linear`
 * @param config - the configuration
 * @param maxEpochs - fidelity override (replaces `max_epochs`)
 * @returns the model's spec
 * @throws SearchSpaceError naming the offending hyperparameter and what was expected
 */
export function parseModelSpec(learner: LearnerName, config: Configuration, maxEpochs?: number): ModelSpec {
  const known = KNOWN[learner];
  if (known === undefined) throw new SearchSpaceError(`unknown learner '${String(learner)}'; expected mlp or linear`);
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) {
      throw new SearchSpaceError(`unknown hyperparameter '${key}' for learner '${learner}'; expected one of ${known.join(', ')}`);
    }
  }
  const read = new ConfigReader(config);
  const epochs = maxEpochs ?? read.int('max_epochs', 50, 1, 100000);
  const common = {
    learner,
    learningRate: read.number('learning_rate', learner === 'mlp' ? 1e-3 : 1e-2, 0, 100),
    batchSize: read.int('batch_size', 64, 1, 1 << 24),
    lrSchedule: read.choice('lr_schedule', 'constant', SCHEDULES),
    lrDecay: read.number('lr_decay', 0.95, 0, 1),
    patience: read.int('patience', learner === 'mlp' ? 10 : 5, 1, 100000),
    maxEpochs: checkEpochs(epochs),
  };
  if (learner === 'linear') {
    const alpha = read.number('alpha', 1e-4, 0, 1e6);
    const l1Ratio = read.number('l1_ratio', 0.15, 0, 1);
    return { ...common, hiddenLayers: 0, units: 0, activation: 'linear', dropout: 0, batchNorm: false,
      optimizer: 'sgd', momentum: 0, l2: (alpha * (1 - l1Ratio)) / 2, l1: alpha * l1Ratio };
  }
  return {
    ...common,
    hiddenLayers: read.int('n_layers', 2, 1, 64),
    units: read.int('units', 64, 1, 1 << 16),
    activation: read.choice('activation', 'relu', ACTIVATIONS),
    dropout: read.number('dropout', 0, 0, 0.95),
    l2: read.number('l2', 1e-5, 0, 1e6),
    l1: 0,
    batchNorm: read.boolean('batch_norm', false),
    optimizer: read.choice('optimizer', 'adam', OPTIMIZERS),
    momentum: read.number('momentum', 0.9, 0, 1),
  };
}

function checkEpochs(epochs: number): number {
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new SearchSpaceError(`maxEpochs must be a positive integer, got ${epochs}`, { column: 'max_epochs' });
  }
  return epochs;
}

/** Reads typed values out of a configuration, with defaults and range checks. */
class ConfigReader {
  constructor(private readonly config: Configuration) {}

  number(name: string, fallback: number, low: number, high: number): number {
    const value = this.config[name] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value > high) {
      throw new SearchSpaceError(`expected a number in [${low}, ${high}], got ${JSON.stringify(value)}`, { column: name });
    }
    return value;
  }

  int(name: string, fallback: number, low: number, high: number): number {
    const value = this.number(name, fallback, low, high);
    if (!Number.isInteger(value)) {
      throw new SearchSpaceError(`expected an integer, got ${value}`, { column: name });
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.config[name] ?? fallback;
    if (typeof value !== 'boolean') {
      throw new SearchSpaceError(`expected true or false, got ${JSON.stringify(value)}`, { column: name });
    }
    return value;
  }

  choice<T extends string>(name: string, fallback: T, choices: readonly T[]): T {
    const value = this.config[name] ?? fallback;
    const found = choices.find((choice) => choice === value);
    if (found === undefined) {
      throw new SearchSpaceError(`expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}`, { column: name });
    }
    return found;
  }
}

/**
 * The learning rate of one epoch under a model's schedule (before Adam's bias correction).
 * @param spec - the model
 * @param epoch - 0-based epoch
 * @returns `lr` (constant), `lr·decay^epoch` (exponential) or `lr·(1+cos(π·epoch/maxEpochs))/2` (cosine)
 */
export function scheduledLearningRate(spec: ModelSpec, epoch: number): number {
  switch (spec.lrSchedule) {
    case 'constant':
      return spec.learningRate;
    case 'exponential':
      return spec.learningRate * spec.lrDecay ** epoch;
    case 'cosine':
      return spec.learningRate * 0.5 * (1 + Math.cos((Math.PI * epoch) / spec.maxEpochs));
  }
}
