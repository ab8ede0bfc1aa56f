/** The record kinds of an export file: how each line is read, and how it is merged into a store. */
import { StoreError } from '../errors.ts';
import { canonicalJson } from './canonical.ts';
import type { RecordKind } from './jsonl-export.ts';
import type { RecordReader } from './record-reader.ts';
import type * as R from './records.ts';
import type { MetaStore } from './types.ts';

/** One parsed line of an export file. */
export type ImportRecord = { readonly line: number } & (
  | { readonly kind: 'space'; readonly value: R.SearchSpaceRecord }
  | { readonly kind: 'task'; readonly value: R.TaskRecord }
  | { readonly kind: 'metaFeatures'; readonly value: R.MetaFeatureRecord }
  | { readonly kind: 'configuration'; readonly value: R.ConfigurationInput }
  | { readonly kind: 'evaluation'; readonly value: R.EvaluationRecord }
  | { readonly kind: 'study'; readonly value: R.StudyRecord }
  | { readonly kind: 'trial'; readonly value: R.TrialRecord }
  | { readonly kind: 'metaModel'; readonly value: R.MetaModelRecord }
  | { readonly kind: 'provenance'; readonly value: R.ProvenanceRecord }
);

/**
 * Reads one record line.
 * @throws StoreError naming the line and the field
 */
export function parseRecord(r: RecordReader, kind: RecordKind, line: number): ImportRecord {
  switch (kind) {
    case 'space':
      return { kind, line, value: { name: r.string('name'), version: r.string('version'), definition: r.json('definition'), createdAt: r.string('createdAt') } };
    case 'task':
      return { kind, line, value: readTask(r) };
    case 'metaFeatures':
      return { kind, line, value: { task: r.string('task'), extractorVersion: r.string('extractorVersion'), values: r.numberRecord('values'), missing: r.stringRecord('missing'), createdAt: r.string('createdAt') } };
    case 'configuration':
      return { kind, line, value: { space: r.string('space'), hash: r.string('hash'), config: r.configuration('config'), origin: r.nullableString('origin') } };
    case 'evaluation':
      return { kind, line, value: readEvaluation(r) };
    case 'study':
      return { kind, line, value: { name: r.string('name'), direction: r.oneOf('direction', ['maximize', 'minimize']), space: r.string('space'), task: r.nullableString('task'), settings: r.json('settings'), createdAt: r.string('createdAt') } };
    case 'trial':
      return { kind, line, value: readTrial(r) };
    case 'metaModel':
      return { kind, line, value: { name: r.string('name'), version: r.string('version'), weights: new Uint8Array(Buffer.from(r.string('weights'), 'base64')), report: r.json('report'), createdAt: r.string('createdAt') } };
    case 'provenance':
      return { kind, line, value: { id: r.string('id'), kind: r.string('kind'), command: r.string('command'), seed: r.nullableNumber('seed'), metatuneVersion: r.string('metatuneVersion'), backend: r.nullableString('backend'), details: r.json('details'), createdAt: r.string('createdAt') } };
  }
}

function readTask(r: RecordReader): R.TaskRecord {
  return {
    name: r.string('name'), source: r.string('source'), contentHash: r.string('contentHash'), nRows: r.number('nRows'),
    nFeatures: r.number('nFeatures'), taskType: r.oneOf('taskType', ['classification', 'regression']), target: r.string('target'),
    nClasses: r.nullableNumber('nClasses'), createdAt: r.string('createdAt'),
  };
}

function readEvaluation(r: RecordReader): R.EvaluationRecord {
  return {
    task: r.string('task'), space: r.string('space'), configHash: r.string('configHash'), config: r.configuration('config'),
    protocolId: r.string('protocolId'), fidelity: r.number('fidelity'), seed: r.number('seed'), status: r.oneOf('status', ['ok', 'failed']),
    error: r.nullableString('error'), metrics: r.numberRecord('metrics'), primaryScore: r.nullableNumber('primaryScore'),
    curve: r.curve('curve'), epochsRun: r.number('epochsRun'), wallTimeMs: r.number('wallTimeMs'), backend: r.string('backend'),
    metatuneVersion: r.string('metatuneVersion'), createdAt: r.string('createdAt'),
  };
}

function readTrial(r: RecordReader): R.TrialRecord {
  return {
    study: r.string('study'), number: r.number('number'), state: r.oneOf('state', ['running', 'complete', 'failed', 'pruned']),
    configHash: r.string('configHash'), config: r.configuration('config'), origin: r.string('origin'), value: r.nullableNumber('value'),
    error: r.nullableString('error'), intermediate: r.numberArray('intermediate'), startedAt: r.string('startedAt'),
    finishedAt: r.nullableString('finishedAt'),
  };
}

/**
 * Merges one record into a store (inside the import's transaction).
 * @returns true when it was inserted, false when an equal record was stored already
 * @throws StoreError when it contradicts what is stored
 */
export function applyRecord(store: MetaStore, record: ImportRecord): boolean {
  switch (record.kind) {
    case 'space': {
      const existed = store.getSearchSpace(record.value.name, record.value.version) !== undefined;
      store.addSearchSpace(record.value);
      return !existed;
    }
    case 'task': {
      const existed = store.getTask(record.value.name) !== undefined;
      store.addTask(record.value);
      return !existed;
    }
    case 'metaFeatures': {
      const stored = store.getMetaFeatures(record.value.task, record.value.extractorVersion);
      if (stored !== undefined && canonicalJson(stored) === canonicalJson(record.value)) return false;
      store.putMetaFeatures(record.value.task, record.value);
      return true;
    }
    case 'configuration':
      return store.addConfigurations([record.value]).inserted === 1;
    case 'evaluation':
      return store.addEvaluations([record.value]).inserted === 1;
    case 'study': {
      const existed = store.getStudy(record.value.name) !== undefined;
      store.createStudy(record.value);
      return !existed;
    }
    case 'trial':
      return store.addTrials([record.value]).inserted === 1;
    case 'metaModel':
      return store.addMetaModel(record.value);
    case 'provenance':
      return applyProvenance(store, record.value);
  }
}

function applyProvenance(store: MetaStore, entry: R.ProvenanceRecord): boolean {
  const existed = store.listProvenance().some((p) => p.id === entry.id);
  const stored = store.addProvenance(entry);
  if (stored.id !== entry.id) throw new StoreError(`provenance id ${entry.id} does not match its content (${stored.id})`);
  return !existed;
}
