/**
 * A trained model saved with its fitted preprocessing, so that it predicts on raw rows. The folder
 * holds a standard TensorFlow.js layers model — `model.json` + `weights.bin`, which
 * `tf.loadLayersModel` reads — and `preprocessing.json`: the fitted encoder, the target's classes
 * or scale, and provenance (dataset, protocol, configuration, scores). `metatune predict`, this
 * module's {@link SavedModel} and the browser-safe `metatune/predictor` all read that folder.
 *
 * A folder written by metatune 0.1 (one `model.json` of format `metatune.saved-model`, weights in
 * base64) still loads here, flagged {@link SavedModel.legacy}; the browser predictor refuses it.
 */
import { constants, accessSync, lstatSync, statSync, type Stats } from 'node:fs';
import { lstat, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Encoder, RawRow } from '../data/index.ts';
import { InputError } from '../errors.ts';
import { DenseNetwork, type SerializedModel } from '../learners/index.ts';
import { readLayersModel, toLayersModel, WEIGHTS_FILE, type NetworkWeights } from '../predictor/layers-model.ts';
import { Preprocessing, PREPROCESSING_FILE, type Prediction, type PreprocessingJSON } from '../predictor/preprocessing.ts';
import type { Configuration } from '../spaces/index.ts';
import { VERSION } from '../version.ts';
import { readLegacyModel } from './saved-model-legacy.ts';
import type { Evaluation } from './types.ts';

export type { SavedModelJSON } from './saved-model-legacy.ts';

/** The layers model's file inside a saved model's folder. */
export const SAVED_MODEL_FILE = 'model.json';
/** Every file of a saved model's folder. */
export const SAVED_MODEL_FILES: readonly string[] = [SAVED_MODEL_FILE, WEIGHTS_FILE, PREPROCESSING_FILE];

/** Predictions on raw rows. */
export type RawPrediction = Prediction;

/** Where a model would be saved, as {@link checkModelTarget} found it. */
export interface ModelTarget {
  /** The path of `model.json` inside the folder, or of the first of the model's files already there. */
  readonly file: string;
  /** Whether one of the model's files (`model.json`, `weights.bin`, `preprocessing.json`; regular files) is already there. */
  readonly exists: boolean;
}

/**
 * Checks, before any training, that a model can be saved into a folder without following or
 * blocking on anything: the folder is a writable directory, or does not exist and its parent is
 * one (folders are created one level only, never a whole path); each of the model's files in it
 * ({@link SAVED_MODEL_FILES}) is absent or a regular file (never a symbolic link, a FIFO, a device
 * or a folder).
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
  const present = SAVED_MODEL_FILES.map((name) => path.join(dir, name)).filter((f) => {
    const target = statOrUndefined(f, lstatSync);
    if (target !== undefined && !target.isFile()) throw new InputError(`is ${describeNonRegular(target)}, not a regular file; refusing to write through it`, { file: f });
    return target !== undefined;
  });
  return present.length === 0 ? { file, exists: false } : { file: present[0], exists: true };
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
 * creating the folder (one level) if needed: `weights.bin`, `preprocessing.json`, then
 * `model.json`. Each file is created exclusively (O_EXCL | O_NOFOLLOW: it fails if anything, a
 * symbolic link included, is at that name); with `overwrite`, a fresh temporary file is renamed
 * over a regular file (a rename replaces the name, it never writes through a link). When a write
 * fails, the files this call created are removed.
 * @param dir - the folder
 * @param evaluation - a successful evaluation that kept its model
 * @param options - `overwrite`: replace existing model files (default false)
 * @returns the path of the written `model.json`
 * @throws InputError when the evaluation failed or kept no model, or when the folder or a model
 *   file cannot be used ({@link checkModelTarget}), or when one exists and `overwrite` is not set
 */
export async function saveTrainedModel(dir: string, evaluation: Evaluation, options: { overwrite?: boolean } = {}): Promise<string> {
  const trained = evaluation.trainedModel;
  if (evaluation.status !== 'ok' || trained === undefined) {
    throw new InputError(`no trained model to save: the evaluation ${evaluation.status === 'ok' ? 'kept no model (use keepModels)' : `failed (${evaluation.error ?? 'no reason'})`}`);
  }
  const preprocessing: PreprocessingJSON = {
    format: 'metatune.preprocessing',
    formatVersion: 1,
    metatuneVersion: VERSION,
    task: trained.model.task,
    learner: trained.model.learner,
    dataset: evaluation.dataset,
    protocolId: evaluation.protocolId,
    configHash: evaluation.configHash,
    config: evaluation.config,
    metrics: evaluation.folds[0]?.metrics ?? evaluation.metrics,
    encoder: trained.encoder,
  };
  const { modelJSON, weightData } = toLayersModel(DenseNetwork.load(trained.model));
  const target = checkModelTarget(dir);
  if (target.exists && options.overwrite !== true) throw new InputError('already exists; refusing to replace it (ask to overwrite)', { file: target.file });
  await mkdir(dir).catch((error: unknown) => {
    if (!isErrno(error, 'EEXIST')) throw error;
  });
  const overwrite = options.overwrite === true;
  const created: string[] = [];
  const write = async (name: string, content: string | Uint8Array) => {
    const file = path.join(dir, name);
    const existed = await lstat(file).then(() => true, () => false);
    await writeInPlace(file, content, overwrite);
    if (!existed) created.push(file);
    return file;
  };
  try {
    await write(WEIGHTS_FILE, weightData);
    await write(PREPROCESSING_FILE, JSON.stringify(preprocessing));
    return await write(SAVED_MODEL_FILE, JSON.stringify(modelJSON));
  } catch (error) {
    // No half-written model: the files this call created go (replaced ones cannot come back).
    await Promise.all(created.map((file) => unlink(file).catch(() => undefined)));
    throw error;
  }
}

/**
 * Creates `file` exclusively (O_EXCL: fails if anything, a link included, is there) and writes it;
 * to overwrite, writes a fresh temporary file the same way and renames it over `file`.
 */
async function writeInPlace(file: string, text: string | Uint8Array, overwrite: boolean): Promise<void> {
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
async function writeExclusive(file: string, text: string | Uint8Array): Promise<void> {
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
  private constructor(
    readonly preprocessing: Preprocessing,
    private readonly network: DenseNetwork,
    /** Whether the folder is a metatune 0.1 model (`model.json` of format `metatune.saved-model`): Node only, re-save it to ship it. */
    readonly legacy: boolean,
  ) {}

  /**
   * Reads and checks a saved model's folder: `model.json` + `weights.bin` + `preprocessing.json`,
   * or a metatune 0.1 `model.json`.
   * @param dir - a folder written by {@link saveTrainedModel}
   * @returns the loaded model
   * @throws InputError naming the file when it is missing, not a regular file, not JSON, or not
   *   what it must be, when the weights do not match the manifest, or when the preprocessing and
   *   the network disagree
   */
  static async load(dir: string): Promise<SavedModel> {
    const file = path.join(dir, SAVED_MODEL_FILE);
    const raw = await readJson(file);
    const format = isRecord(raw) ? raw.format : undefined;
    if (format === 'metatune.saved-model') {
      const legacy = readLegacyModel(raw, file);
      return new SavedModel(legacy.preprocessing, legacy.network, true);
    }
    if (format !== 'layers-model') throw new InputError(`not a metatune saved model: format is ${JSON.stringify(format)}, expected "layers-model" (a TensorFlow.js layers model written by --save-model)`, { file });
    const preprocessing = Preprocessing.fromJSON(await readJson(path.join(dir, PREPROCESSING_FILE)), path.join(dir, PREPROCESSING_FILE));
    const weights = readLayersModel(raw, await readWeightFiles(dir, raw, file), file);
    checkAgreement(preprocessing, weights, file);
    const info = preprocessing.info;
    const network = DenseNetwork.load(toSerializedModel(weights, info.learner, info.config));
    return new SavedModel(preprocessing, network, false);
  }

  /** Where the model came from: dataset, protocol, configuration, scores, encoder. */
  get info(): PreprocessingJSON {
    return this.preprocessing.info;
  }

  /** The fitted encoder. */
  get encoder(): Encoder {
    return this.preprocessing.encoder;
  }

  /** Names of the raw input columns, in the order array rows list their cells. */
  get inputColumns(): readonly string[] {
    return this.preprocessing.inputColumns;
  }

  /**
   * Predicts on raw rows: arrays of cells in {@link inputColumns} order or records by column name,
   * cells as text or numbers, missing as `?`, `''` or absent.
   * @param rows - the rows
   * @returns class labels and probabilities, or values on the target's original scale
   * @throws DatasetError naming the row and column of a cell that cannot be read
   */
  predict(rows: readonly RawRow[]): Prediction {
    const { X, nRows } = this.preprocessing.encode(rows);
    return this.preprocessing.decode(this.network.predict(X, nRows), nRows);
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

/** Reads a regular file (never a FIFO or a device, which could block) as JSON. */
async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse((await readRegularFile(file)).toString('utf8'));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read a saved model: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
}

async function readRegularFile(file: string): Promise<Buffer> {
  const stats = await lstat(file).catch((error: unknown) => {
    throw new InputError(`cannot read a saved model: ${isErrno(error, 'ENOENT') ? 'no such file' : error instanceof Error ? error.message : String(error)}`, { file });
  });
  if (!stats.isFile()) throw new InputError(`is ${describeNonRegular(stats)}, not a regular file`, { file });
  return readFile(file).catch((error: unknown) => {
    throw new InputError(`cannot read a saved model: ${error instanceof Error ? error.message : String(error)}`, { file });
  });
}

/** The manifest's weight files, read from the folder (plain names only: never a path out of it). */
async function readWeightFiles(dir: string, raw: unknown, file: string): Promise<Uint8Array> {
  const manifest = isRecord(raw) && Array.isArray(raw.weightsManifest) ? raw.weightsManifest : [];
  const names = manifest.flatMap((group: unknown) => (isRecord(group) && Array.isArray(group.paths) ? group.paths : []));
  if (new Set(names).size !== names.length) throw new InputError('weightsManifest lists a weight file twice', { file });
  for (const name of names) {
    if (typeof name !== 'string' || name === '' || name !== path.basename(name) || name === '.' || name === '..') {
      throw new InputError(`weightsManifest path ${JSON.stringify(name)} is not a file name in the model's folder`, { file });
    }
  }
  const parts = await Promise.all(names.map((name: string) => readRegularFile(path.join(dir, name))));
  return Buffer.concat(parts);
}

function checkAgreement(preprocessing: Preprocessing, weights: NetworkWeights, file: string): void {
  const inputs = weights.layers[0].inputs;
  const outputs = weights.layers[weights.layers.length - 1].units;
  if (preprocessing.nFeatures !== inputs) throw new InputError(`the network reads ${inputs} columns but ${PREPROCESSING_FILE} encodes ${preprocessing.nFeatures}`, { file });
  if (weights.task !== preprocessing.info.task) throw new InputError(`the network is a ${weights.task} model but ${PREPROCESSING_FILE} says ${preprocessing.info.task}`, { file });
  if (outputs !== preprocessing.nOutputs) throw new InputError(`the network has ${outputs} outputs but ${PREPROCESSING_FILE} expects ${preprocessing.nOutputs}`, { file });
}

/** The network in the learners' serialised form (base64 float32), which {@link DenseNetwork.load} reads. */
function toSerializedModel(weights: NetworkWeights, learner: 'mlp' | 'linear', config: Configuration): SerializedModel {
  const b64 = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
  return {
    format: 'metatune.dense-network',
    formatVersion: 1,
    learner,
    task: weights.task,
    config,
    activation: weights.activation,
    nFeatures: weights.layers[0].inputs,
    nOutputs: weights.layers[weights.layers.length - 1].units,
    layers: weights.layers.map((layer) => ({
      inputs: layer.inputs,
      units: layer.units,
      kernel: b64(layer.kernel),
      bias: b64(layer.bias),
      batchNorm: layer.batchNorm === undefined ? undefined : {
        gamma: b64(layer.batchNorm.gamma), beta: b64(layer.batchNorm.beta),
        movingMean: b64(layer.batchNorm.movingMean), movingVariance: b64(layer.batchNorm.movingVariance),
      },
    })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
