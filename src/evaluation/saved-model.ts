/**
 * A trained model saved with its fitted preprocessing, so that it predicts on raw rows: a folder
 * holding `model.json` = provenance (dataset, protocol, configuration, scores) + the encoder's
 * JSON + the network's serialised weights (`metatune.dense-network`, base64 float32).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Encoder, type EncoderJSON, type RawRow } from '../data/index.ts';
import { InputError } from '../errors.ts';
import { DenseNetwork, type SerializedModel } from '../learners/index.ts';
import type { Configuration } from '../spaces/index.ts';
import { VERSION } from '../version.ts';
import { argmaxRows } from './metrics.ts';
import type { Evaluation } from './types.ts';

/** The file a saved model lives in, inside its folder. */
export const SAVED_MODEL_FILE = 'model.json';

/** The content of `model.json`. */
export interface SavedModelJSON {
  readonly format: 'metatune.saved-model';
  readonly formatVersion: 1;
  readonly metatuneVersion: string;
  readonly dataset: string;
  readonly protocolId: string;
  readonly configHash: string;
  readonly config: Configuration;
  /** The scores of the evaluation that trained the model (its first fold for k-fold). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly encoder: EncoderJSON;
  readonly model: SerializedModel;
}

/** Predictions on raw rows. */
export type RawPrediction =
  | { readonly task: 'classification'; readonly classes: readonly string[]; readonly labels: string[]; readonly probabilities: Float32Array }
  | { readonly task: 'regression'; readonly values: Float64Array };

/**
 * Saves an evaluation's trained model (from `evaluate(..., { keepModels: true })`) into a folder,
 * creating it if needed and replacing a previous `model.json`.
 * @param dir - the folder
 * @param evaluation - a successful evaluation that kept its model
 * @returns the path of the written file
 * @throws InputError when the evaluation failed or kept no model
 */
export async function saveTrainedModel(dir: string, evaluation: Evaluation): Promise<string> {
  const trained = evaluation.trainedModel;
  if (evaluation.status !== 'ok' || trained === undefined) {
    throw new InputError(`no trained model to save: the evaluation ${evaluation.status === 'ok' ? 'kept no model (use keepModels)' : `failed (${evaluation.error ?? 'no reason'})`}`);
  }
  const json: SavedModelJSON = {
    format: 'metatune.saved-model',
    formatVersion: 1,
    metatuneVersion: VERSION,
    dataset: evaluation.dataset,
    protocolId: evaluation.protocolId,
    configHash: evaluation.configHash,
    config: evaluation.config,
    metrics: evaluation.folds[0]?.metrics ?? evaluation.metrics,
    encoder: trained.encoder,
    model: trained.model,
  };
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, SAVED_MODEL_FILE);
  await writeFile(file, JSON.stringify(json));
  return file;
}

/** A model loaded from a folder, ready to predict on raw rows. */
export class SavedModel {
  private constructor(readonly info: SavedModelJSON, readonly encoder: Encoder, private readonly network: DenseNetwork) {}

  /**
   * Reads and checks `dir/model.json`.
   * @param dir - a folder written by {@link saveTrainedModel}
   * @returns the loaded model
   * @throws InputError naming the file when it is missing, not JSON, or not a saved model, or
   *   when its encoder and weights disagree
   */
  static async load(dir: string): Promise<SavedModel> {
    const file = path.join(dir, SAVED_MODEL_FILE);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new InputError(`cannot read a saved model: ${error instanceof Error ? error.message : String(error)}`, { file });
    }
    const json = checkSavedModel(raw, file);
    const encoder = Encoder.fromJSON(json.encoder);
    if (encoder.nCols !== json.model.nFeatures) {
      throw new InputError(`the encoder writes ${encoder.nCols} columns but the network reads ${json.model.nFeatures}`, { file });
    }
    let network: DenseNetwork;
    try {
      network = DenseNetwork.load(json.model);
    } catch (error) {
      throw new InputError(`bad network weights: ${error instanceof Error ? error.message : String(error)}`, { file });
    }
    return new SavedModel(json, encoder, network);
  }

  /** Names of the raw input columns, in the order array rows list their cells. */
  get inputColumns(): readonly string[] {
    return this.encoder.inputColumns;
  }

  /**
   * Predicts on raw rows: arrays of cells in {@link inputColumns} order or records by column name,
   * cells as text or numbers, missing as `?`, `''` or absent.
   * @param rows - the rows
   * @returns class labels and probabilities, or values on the target's original scale
   * @throws DatasetError naming the row and column of a cell that cannot be read
   */
  predict(rows: readonly RawRow[]): RawPrediction {
    const encoded = this.encoder.transformRaw(rows);
    const output = this.network.predict(encoded.X, encoded.nRows);
    if (this.info.model.task === 'regression') return { task: 'regression', values: this.encoder.inverseTarget(output) };
    const classes = this.encoder.classes;
    const labels = Array.from(argmaxRows(output, classes.length), (c) => classes[c]);
    return { task: 'classification', classes, labels, probabilities: output };
  }
}

/**
 * Loads a saved model; shorthand for {@link SavedModel.load}.
 * @param dir - the folder
 * @returns the model
 */
export function loadSavedModel(dir: string): Promise<SavedModel> {
  return SavedModel.load(dir);
}

function checkSavedModel(raw: unknown, file: string): SavedModelJSON {
  if (!isSavedModelJSON(raw)) {
    throw new InputError(`not a metatune saved model (expected format 'metatune.saved-model', formatVersion 1, with encoder and model)`, { file });
  }
  if (raw.model.format !== 'metatune.dense-network') {
    throw new InputError(`model.format is '${String(raw.model.format)}', expected 'metatune.dense-network'`, { file });
  }
  return raw;
}

function isSavedModelJSON(value: unknown): value is SavedModelJSON {
  if (typeof value !== 'object' || value === null) return false;
  const v: Record<string, unknown> = { ...value };
  return v.format === 'metatune.saved-model' && v.formatVersion === 1
    && typeof v.encoder === 'object' && v.encoder !== null
    && typeof v.model === 'object' && v.model !== null
    && typeof v.config === 'object' && v.config !== null && typeof v.metrics === 'object' && v.metrics !== null
    && typeof v.dataset === 'string' && typeof v.protocolId === 'string' && typeof v.configHash === 'string';
}
