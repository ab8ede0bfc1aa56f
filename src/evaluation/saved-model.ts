/**
 * A trained model saved with its fitted preprocessing, so that it predicts on raw rows: a folder
 * holding `model.json` = provenance (dataset, protocol, configuration, scores) + the encoder's
 * JSON + the network's serialised weights (`metatune.dense-network`, base64 float32).
 */
import { constants, accessSync, lstatSync, statSync, type Stats } from 'node:fs';
import { lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
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

/** Where a model would be saved, as {@link checkModelTarget} found it. */
export interface ModelTarget {
  /** The path of `model.json` inside the folder. */
  readonly file: string;
  /** Whether a `model.json` (a regular file) is already there. */
  readonly exists: boolean;
}

/**
 * Checks, before any training, that a model can be saved into a folder without following or
 * blocking on anything: the folder is a writable directory, or does not exist and its parent is
 * one (folders are created one level only, never a whole path); `model.json` in it is absent or
 * a regular file (never a symbolic link, a FIFO, a device or a folder).
 * @param dir - the folder
 * @returns the model file's path and whether one is there
 * @throws InputError naming the path that cannot be used, and why
 */
export function checkModelTarget(dir: string): ModelTarget {
  const file = path.join(dir, SAVED_MODEL_FILE);
  const folder = statOrUndefined(dir, statSync);
  if (folder === undefined) {
    const parent = path.dirname(path.resolve(dir));
    const parentStats = statOrUndefined(parent, statSync);
    if (parentStats === undefined || !parentStats.isDirectory()) throw new InputError(`cannot create the model folder: its parent ${parent} is not an existing folder`, { file: dir });
    requireWritable(parent, dir);
    return { file, exists: false };
  }
  if (!folder.isDirectory()) throw new InputError('not a folder: a model is saved as model.json inside a folder', { file: dir });
  requireWritable(dir, dir);
  const target = statOrUndefined(file, lstatSync);
  if (target === undefined) return { file, exists: false };
  if (!target.isFile()) throw new InputError(`is ${describeNonRegular(target)}, not a regular file; refusing to write through it`, { file });
  return { file, exists: true };
}

function statOrUndefined(file: string, stat: (p: string) => Stats): Stats | undefined {
  try {
    return stat(file);
  } catch (error) {
    if (isErrno(error, 'ENOENT') || isErrno(error, 'ENOTDIR')) return undefined;
    throw new InputError(`cannot inspect: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
}

function requireWritable(folder: string, shown: string): void {
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw new InputError(`the folder ${folder} is not writable`, { file: shown });
  }
}

function describeNonRegular(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  return 'a device';
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

/**
 * Saves an evaluation's trained model (from `evaluate(..., { keepModels: true })`) into a folder,
 * creating the folder (one level) if needed. `model.json` is created exclusively (O_EXCL |
 * O_NOFOLLOW: it fails if anything, a symbolic link included, is at that name); with `overwrite`, a
 * fresh temporary file is renamed over a regular `model.json` (a rename replaces the name, it
 * never writes through a link).
 * @param dir - the folder
 * @param evaluation - a successful evaluation that kept its model
 * @param options - `overwrite`: replace an existing `model.json` (default false)
 * @returns the path of the written file
 * @throws InputError when the evaluation failed or kept no model, or when the folder or
 *   `model.json` cannot be used ({@link checkModelTarget}), or when `model.json` exists and
 *   `overwrite` is not set
 */
export async function saveTrainedModel(dir: string, evaluation: Evaluation, options: { overwrite?: boolean } = {}): Promise<string> {
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
  const target = checkModelTarget(dir);
  if (target.exists && options.overwrite !== true) throw new InputError('already exists; refusing to replace it (ask to overwrite)', { file: target.file });
  await mkdir(dir).catch((error: unknown) => {
    if (!isErrno(error, 'EEXIST')) throw error;
  });
  await writeInPlace(target.file, JSON.stringify(json), options.overwrite === true);
  return target.file;
}

/**
 * Creates `file` exclusively (O_EXCL: fails if anything, a link included, is there) and writes it;
 * to overwrite, writes a fresh temporary file the same way and renames it over `file`.
 */
async function writeInPlace(file: string, text: string, overwrite: boolean): Promise<void> {
  if (!overwrite) {
    await writeExclusive(file, text).catch((error: unknown) => {
      throw isErrno(error, 'EEXIST') ? new InputError('already exists; refusing to replace it (ask to overwrite)', { file }) : error;
    });
    return;
  }
  const existing = await lstat(file).catch(() => undefined);
  if (existing !== undefined && !existing.isFile()) throw new InputError(`is ${describeNonRegular(existing)}, not a regular file; refusing to replace it`, { file });
  const temporary = `${file}.${process.pid}.${Date.now().toString(36)}.tmp`;
  try {
    await writeExclusive(temporary, text);
    await rename(temporary, file);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

/** Creates a new file (never through a link) and writes it; removes it when the write fails. */
async function writeExclusive(file: string, text: string): Promise<void> {
  const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await handle.writeFile(text);
  } catch (error) {
    await handle.close();
    await unlink(file).catch(() => undefined);
    throw error;
  }
  await handle.close();
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
