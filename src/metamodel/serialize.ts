/**
 * Meta-models as bytes, for the store's `meta_models` BLOB: the ASCII magic `MTMM`, a little-endian
 * u32 format version, a u32 header length, the header (UTF-8 JSON: type tag, space definition,
 * state, weight count), zero padding to a multiple of 4, then the weights as little-endian float32.
 * {@link loadMetaModel} checks every field it reads and dispatches on the type tag.
 */
import { StoreError } from '../errors.ts';
import type { JsonValue } from '../store/records.ts';
import type { MetaStore } from '../store/types.ts';
import { KnnMetaModel } from './knn.ts';
import { LearnedMetaModel } from './learned.ts';
import { PortfolioMetaModel } from './portfolio.ts';
import { spaceFromDefinition } from './space-json.ts';
import { checkKnnState, checkLearnedState, checkPortfolioState, isRecord } from './state-checks.ts';
import { META_MODEL_TYPES, type MetaModel, type MetaModelType, type SerializedMetaModel } from './types.ts';

const MAGIC = 'MTMM';
const FORMAT_VERSION = 1;

/** @returns the model's bytes */
export function encodeMetaModel(model: SerializedMetaModel): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ type: model.type, formatVersion: model.formatVersion, space: model.space, state: model.state, weightCount: model.weights.length }));
  const headerEnd = 12 + header.length;
  const weightsAt = Math.ceil(headerEnd / 4) * 4;
  const bytes = new Uint8Array(weightsAt + 4 * model.weights.length);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  model.weights.forEach((w, i) => view.setFloat32(weightsAt + 4 * i, w, true));
  return bytes;
}

/**
 * @param bytes - what {@link encodeMetaModel} wrote
 * @returns the model, ready to rank
 * @throws StoreError when the bytes are not a meta-model of a known type and version
 */
export function decodeMetaModel(bytes: Uint8Array, source = 'meta-model'): MetaModel {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw new StoreError(`${source}: not a metatune meta-model (bad magic)`);
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) throw new StoreError(`${source}: format version ${version}; this metatune reads version ${FORMAT_VERSION} (retrain with metatune meta-train)`);
  const headerLength = view.getUint32(8, true);
  const header: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  if (!isRecord(header) || typeof header.weightCount !== 'number') throw new StoreError(`${source}: malformed header`);
  const type = META_MODEL_TYPES.find((t) => t === header.type);
  if (type === undefined) throw new StoreError(`${source}: unknown meta-model type '${String(header.type)}'`);
  const weightsAt = Math.ceil((12 + headerLength) / 4) * 4;
  if (bytes.length !== weightsAt + 4 * header.weightCount) throw new StoreError(`${source}: truncated weights`);
  const weights = Float32Array.from({ length: header.weightCount }, (_, i) => view.getFloat32(weightsAt + 4 * i, true));
  return instantiate(type, spaceFromDefinition(header.space), header.state, weights, source);
}

function instantiate(type: MetaModelType, space: ReturnType<typeof spaceFromDefinition>, state: unknown, weights: Float32Array, source: string): MetaModel {
  if (type === 'knn') return KnnMetaModel.fromState(space, checkKnnState(state, source));
  if (type === 'portfolio') return PortfolioMetaModel.fromState(space, checkPortfolioState(state, source));
  return LearnedMetaModel.fromState(space, checkLearnedState(state, source), weights);
}

/** @returns the store name of a space's model of a type, e.g. `learned-mlp` */
export function metaModelName(type: MetaModelType, space: string): string {
  return `${type}-${space}`;
}

/**
 * Saves a fitted model under {@link metaModelName}.
 * @param version - e.g. a timestamp; the most recent version is what {@link loadStoredMetaModel} reads
 * @param report - the validation report to store beside it
 * @returns whether it was stored (false when that name and version exist)
 */
export function saveMetaModel(store: MetaStore, model: MetaModel, version: string, report: JsonValue): boolean {
  return store.addMetaModel({ name: metaModelName(model.type, model.space.name), version, weights: encodeMetaModel(model.toJSON()), report });
}

/** @returns the most recent stored model of that type and space, or undefined */
export function loadStoredMetaModel(store: MetaStore, type: MetaModelType, space: string): MetaModel | undefined {
  const record = store.getMetaModel(metaModelName(type, space));
  return record === undefined ? undefined : decodeMetaModel(record.weights, `meta-model ${record.name}@${record.version}`);
}
