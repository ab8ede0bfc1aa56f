/**
 * The fitted preprocessing of a saved model (`preprocessing.json` beside the layers model): the
 * encoder that turns raw rows into the network's input, the target's classes or scale that turn
 * its output back into labels or values, and where the model came from.
 *
 * Pure (no Node built-ins): `metatune predict` in Node and `metatune/predictor` in a browser run
 * this same code, so both encode and decode identically.
 */
import { Encoder, type RawRow } from '../data/encode.ts';
import type { EncoderJSON } from '../data/encoder-spec.ts';
import { InputError } from '../errors.ts';
import { argmaxRows } from '../evaluation/metrics.ts';

/** The file the preprocessing is saved in, beside `model.json`. */
export const PREPROCESSING_FILE = 'preprocessing.json';

/** A hyperparameter configuration: name → value. */
export type ModelConfiguration = Readonly<Record<string, number | string | boolean>>;

/** The content of `preprocessing.json`. */
export interface PreprocessingJSON {
  readonly format: 'metatune.preprocessing';
  readonly formatVersion: 1;
  readonly metatuneVersion: string;
  readonly task: 'classification' | 'regression';
  readonly learner: 'mlp' | 'linear';
  /** The dataset the model was trained on (its name). */
  readonly dataset: string;
  readonly protocolId: string;
  readonly configHash: string;
  readonly config: ModelConfiguration;
  /** The scores of the evaluation that trained the model (its first fold for k-fold). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly encoder: EncoderJSON;
}

/** Predictions on raw rows. */
export type Prediction =
  | { readonly task: 'classification'; readonly classes: readonly string[]; readonly labels: string[]; readonly probabilities: Float32Array }
  | { readonly task: 'regression'; readonly values: Float64Array };

/** Rows encoded for the network. */
export interface EncodedRows {
  /** Row-major `nRows × nCols`. */
  readonly X: Float32Array;
  readonly nRows: number;
  readonly nCols: number;
}

/** The fitted preprocessing: raw rows in, network input out; network output in, predictions out. */
export class Preprocessing {
  readonly encoder: Encoder;

  /**
   * @param info - a checked `preprocessing.json` ({@link Preprocessing.fromJSON} checks one)
   */
  constructor(readonly info: PreprocessingJSON) {
    this.encoder = new Encoder(info.encoder);
  }

  /**
   * Checks a parsed `preprocessing.json`.
   * @param value - the parsed JSON
   * @param file - its path or URL, for messages
   * @returns the preprocessing
   * @throws InputError naming the file and the first field that does not match
   */
  static fromJSON(value: unknown, file: string): Preprocessing {
    const v = typeof value === 'object' && value !== null && !Array.isArray(value) ? new Map(Object.entries(value)) : new Map<string, unknown>();
    const fail = (message: string): never => {
      throw new InputError(message, { file });
    };
    if (v.get('format') !== 'metatune.preprocessing') fail(`not a metatune preprocessing file (expected format "metatune.preprocessing")`);
    if (v.get('formatVersion') !== 1) fail(`unsupported formatVersion ${JSON.stringify(v.get('formatVersion'))} (expected 1)`);
    const text = (key: string): string => {
      const value = v.get(key);
      return typeof value === 'string' ? value : fail(`${key} must be a string`);
    };
    const entries = (key: string): [string, unknown][] => {
      const value = v.get(key);
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : fail(`${key} must be an object`);
    };
    const config = Object.fromEntries(entries('config').map(([k, x]) => [k, typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean' ? x : fail(`config.${k} must be a number, text or true/false`)]));
    // A metric that was NaN (no AUC for one class) is null in JSON.
    const metrics = Object.fromEntries(entries('metrics').map(([k, x]) => [k, typeof x === 'number' ? x : x === null ? NaN : fail(`metrics.${k} must be a number`)]));
    const task = text('task');
    const learner = text('learner');
    if (task !== 'classification' && task !== 'regression') return fail('task must be classification or regression');
    if (learner !== 'mlp' && learner !== 'linear') return fail('learner must be mlp or linear');
    let encoder: Encoder;
    try {
      encoder = Encoder.fromJSON(v.get('encoder'));
    } catch (error) {
      return fail(error instanceof Error ? error.message : String(error));
    }
    if (encoder.target.kind !== task) fail(`task is ${task} but the encoder's target is ${encoder.target.kind}`);
    return new Preprocessing({
      format: 'metatune.preprocessing', formatVersion: 1, metatuneVersion: text('metatuneVersion'), task, learner,
      dataset: text('dataset'), protocolId: text('protocolId'), configHash: text('configHash'),
      config, metrics, encoder: encoder.toJSON(),
    });
  }

  /** Names of the raw input columns, in the order array rows list their cells. */
  get inputColumns(): readonly string[] {
    return this.encoder.inputColumns;
  }

  /** The target column's name. */
  get targetColumn(): string {
    return this.encoder.target.name;
  }

  /** Number of network inputs. */
  get nFeatures(): number {
    return this.encoder.nCols;
  }

  /** Number of network outputs: classes, or 1 for regression. */
  get nOutputs(): number {
    return this.info.task === 'classification' ? this.encoder.classes.length : 1;
  }

  /**
   * Encodes raw rows: arrays of cells in {@link inputColumns} order, or records by column name;
   * cells as text or numbers; `?`, `''`, `NA` or absent are missing.
   * @throws DatasetError naming the row and column of a cell that cannot be read
   */
  encode(rows: readonly RawRow[]): EncodedRows {
    const { X, nRows, nCols } = this.encoder.transformRaw(rows);
    return { X, nRows, nCols };
  }

  /**
   * Turns the network's output into predictions.
   * @param output - row-major `nRows × classes` probabilities, or `nRows` values
   * @param nRows - number of rows
   * @returns labels and probabilities, or values on the target's original scale
   * @throws Error when the output has the wrong size
   */
  decode(output: ArrayLike<number>, nRows: number): Prediction {
    if (output.length !== nRows * this.nOutputs) throw new Error(`the network gave ${output.length} values for ${nRows} rows × ${this.nOutputs} outputs`);
    if (this.info.task === 'regression') return { task: 'regression', values: this.encoder.inverseTarget(output) };
    const classes = this.encoder.classes;
    const labels = Array.from(argmaxRows(output, classes.length), (c) => classes[c]);
    return { task: 'classification', classes, labels, probabilities: Float32Array.from(output) };
  }
}
