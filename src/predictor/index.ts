/**
 * `metatune/predictor`: predictions from a model saved with `--save-model`, anywhere TensorFlow.js
 * runs — a browser page, a worker, Node. No Node built-ins are reached from here.
 *
 *     import * as tf from '@tensorflow/tfjs';
 *     import { loadPredictor } from 'metatune/predictor';
 *     const predictor = await loadPredictor(tf, '/models/wdbc/');
 *     const { labels, probabilities } = await predictor.predict([{ radius_mean: 17.99, ... }]);
 *
 * The network is the folder's standard layers model (`model.json` + `weights.bin`), loaded by the
 * caller's TensorFlow.js; the rows are encoded and the outputs decoded by {@link Preprocessing}
 * from `preprocessing.json`, the same code `metatune predict` runs.
 */
import type { RawRow } from '../data/encode.ts';
import { InputError } from '../errors.ts';
import { Preprocessing, PREPROCESSING_FILE, type Prediction } from './preprocessing.ts';

export { Preprocessing, PREPROCESSING_FILE, type Prediction, type PreprocessingJSON, type EncodedRows, type ModelConfiguration } from './preprocessing.ts';
export type { RawRow } from '../data/encode.ts';
export type { RawCell } from '../data/encoder-write.ts';

/** The file of the layers model inside a saved model's folder. */
export const MODEL_FILE = 'model.json';

/** What the predictor needs of a tensor: its values, and freeing it. */
export interface TensorLike {
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
}

/** What the predictor needs of a layers model (`tf.LayersModel`) taking input tensors `T`. */
export interface LayersModelLike<T extends TensorLike = TensorLike> {
  predict(x: T): TensorLike | TensorLike[];
  dispose(): void;
}

/**
 * What the predictor needs of TensorFlow.js (`@tensorflow/tfjs`, with its layers API); `T` is its
 * 2-D tensor type, inferred from the `tf` passed in.
 */
export interface TensorFlowLike<T extends TensorLike = TensorLike> {
  loadLayersModel(url: string): Promise<LayersModelLike<NoInfer<T>>>;
  tensor2d(values: Float32Array, shape: [number, number]): T;
}

/** A `fetch` response, as far as reading `preprocessing.json` needs. */
export interface FetchedFile {
  readonly ok: boolean;
  readonly status: number;
  text(): Promise<string>;
}

/** Options of {@link loadPredictor}. */
export interface LoadPredictorOptions {
  /** How to fetch `preprocessing.json` (default: the global `fetch`). */
  readonly fetch?: (url: string) => Promise<FetchedFile>;
}

/** A loaded model: raw rows in, labels and probabilities (or values) out. */
export class Predictor<T extends TensorLike = TensorLike> {
  /**
   * @param tf - the TensorFlow.js that loaded the model
   * @param model - the layers model
   * @param preprocessing - its fitted preprocessing
   */
  constructor(private readonly tf: TensorFlowLike<T>, private readonly model: LayersModelLike<T>, readonly preprocessing: Preprocessing) {}

  /** Names of the raw input columns, in the order array rows list their cells. */
  get inputColumns(): readonly string[] {
    return this.preprocessing.inputColumns;
  }

  /** `classification` or `regression`. */
  get task(): 'classification' | 'regression' {
    return this.preprocessing.info.task;
  }

  /** Class labels, in the order of the probabilities' columns; empty for regression. */
  get classes(): readonly string[] {
    return this.preprocessing.encoder.classes;
  }

  /**
   * Predicts on raw rows (see {@link Preprocessing.encode}).
   * @param rows - arrays of cells in {@link inputColumns} order, or records by column name
   * @returns labels and row-major probabilities, or values on the target's scale
   * @throws DatasetError naming the row and column of a cell that cannot be read
   */
  async predict(rows: readonly RawRow[]): Promise<Prediction> {
    const { X, nRows, nCols } = this.preprocessing.encode(rows);
    const input = this.tf.tensor2d(X, [nRows, nCols]);
    let output: TensorLike | TensorLike[] | undefined;
    try {
      output = this.model.predict(input);
      const first = Array.isArray(output) ? output[0] : output;
      return this.preprocessing.decode(await first.data(), nRows);
    } finally {
      input.dispose();
      for (const t of output === undefined ? [] : Array.isArray(output) ? output : [output]) t.dispose();
    }
  }

  /** Frees the model's weights. */
  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Loads a saved model's folder from a URL: `preprocessing.json` with `fetch`, `model.json` and
 * `weights.bin` with `tf.loadLayersModel`.
 * @param tf - TensorFlow.js with its layers API (`import * as tf from '@tensorflow/tfjs'`)
 * @param folderUrl - the folder's URL (a trailing `/` is added when missing)
 * @param options - a `fetch` to use instead of the global one
 * @returns the predictor
 * @throws InputError naming the URL when `preprocessing.json` is missing or invalid (a model
 *   saved by metatune 0.1 has none: re-save it with `metatune search --save-model`)
 */
export async function loadPredictor<T extends TensorLike>(tf: TensorFlowLike<T>, folderUrl: string, options: LoadPredictorOptions = {}): Promise<Predictor<T>> {
  const base = folderUrl.endsWith('/') ? folderUrl : `${folderUrl}/`;
  const url = base + PREPROCESSING_FILE;
  const fetchFile = options.fetch ?? ((u: string) => globalThis.fetch(u));
  const response = await fetchFile(url);
  if (!response.ok) {
    throw new InputError(`cannot fetch the model's preprocessing (HTTP ${response.status}); a model saved by metatune 0.1 (one model.json of format "metatune.saved-model") has none: re-save it with \`metatune search --save-model DIR\` or \`metatune evaluate --save-model DIR\``, { file: url });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(await response.text());
  } catch (error) {
    throw new InputError(`not JSON: ${error instanceof Error ? error.message : String(error)}`, { file: url });
  }
  const preprocessing = Preprocessing.fromJSON(parsed, url);
  return new Predictor(tf, await tf.loadLayersModel(base + MODEL_FILE), preprocessing);
}
