/**
 * Reading a model folder written by metatune 0.1: one `model.json` of format
 * `metatune.saved-model` holding the provenance, the encoder and the network's weights in base64.
 * Node only (it predicts through metatune's own network); `tf.loadLayersModel` and
 * `metatune/predictor` cannot read it, and `--save-model` now writes a layers model instead.
 */
import type { EncoderJSON } from '../data/index.ts';
import { InputError } from '../errors.ts';
import { DenseNetwork, type SerializedModel } from '../learners/index.ts';
import { Preprocessing } from '../predictor/preprocessing.ts';
import type { Configuration } from '../spaces/index.ts';

/** The content of a metatune 0.1 `model.json` (format `metatune.saved-model`), still loadable. */
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

/**
 * Reads a metatune 0.1 `model.json`.
 * @param raw - the parsed file
 * @param file - its path, for messages
 * @returns its preprocessing and network
 * @throws InputError naming the file when it is not such a model, or its encoder and weights disagree
 */
export function readLegacyModel(raw: unknown, file: string): { preprocessing: Preprocessing; network: DenseNetwork } {
  const json = checkSavedModel(raw, file);
  const preprocessing = Preprocessing.fromJSON({
    format: 'metatune.preprocessing', formatVersion: 1, metatuneVersion: json.metatuneVersion, task: json.model.task, learner: json.model.learner,
    dataset: json.dataset, protocolId: json.protocolId, configHash: json.configHash, config: json.config, metrics: json.metrics, encoder: json.encoder,
  }, file);
  if (preprocessing.nFeatures !== json.model.nFeatures) {
    throw new InputError(`the encoder writes ${preprocessing.nFeatures} columns but the network reads ${json.model.nFeatures}`, { file });
  }
  let network: DenseNetwork;
  try {
    network = DenseNetwork.load(json.model);
  } catch (error) {
    throw new InputError(`bad network weights: ${error instanceof Error ? error.message : String(error)}`, { file });
  }
  return { preprocessing, network };
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
