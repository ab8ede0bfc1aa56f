/**
 * `db export`: the whole store as JSON Lines. The first line is a header carrying the format
 * version; every other line is one record with a `kind`. Records come in dependency order (spaces,
 * tasks, meta-features, configurations, evaluations, studies, trials, meta-models, provenance),
 * each kind sorted by its natural key; the `record` field of a line names its kind, every object with sorted keys: equal stores export to equal
 * bytes, so export → import into an empty store → export is byte-identical.
 */
import { canonicalJson } from './canonical.ts';
import type { MetaStore } from './types.ts';

/** The export format this code writes and reads. */
export const EXPORT_FORMAT = 'metatune-store';
export const EXPORT_FORMAT_VERSION = 1;

/** Record kinds in the order they are exported and imported. */
export const RECORD_KINDS = [
  'space', 'task', 'metaFeatures', 'configuration', 'evaluation', 'study', 'trial', 'metaModel', 'provenance',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * Yields the export, one line (without its newline) at a time.
 * @param store - the store to export (a layered store exports the merged view)
 * @returns the header line, then one line per record
 */
export function* exportLines(store: MetaStore): Generator<string> {
  yield canonicalJson({ format: EXPORT_FORMAT, formatVersion: EXPORT_FORMAT_VERSION });
  const line = (kind: RecordKind, record: object) => canonicalJson({ ...record, record: kind });
  for (const space of store.listSearchSpaces()) yield line('space', space);
  for (const task of store.listTasks()) yield line('task', task);
  for (const features of store.listMetaFeatures()) yield line('metaFeatures', features);
  for (const { canonicalJson: _json, ...config } of store.listConfigurations()) yield line('configuration', config);
  for (const evaluation of store.listEvaluations()) yield line('evaluation', evaluation);
  const studies = store.listStudies();
  for (const study of studies) yield line('study', study);
  for (const study of studies) for (const trial of store.listTrials(study.name)) yield line('trial', trial);
  for (const summary of store.listMetaModels()) {
    const model = store.getMetaModel(summary.name, summary.version);
    if (model === undefined) continue;
    yield line('metaModel', { ...model, weights: Buffer.from(model.weights).toString('base64') });
  }
  for (const entry of store.listProvenance()) yield line('provenance', entry);
}
