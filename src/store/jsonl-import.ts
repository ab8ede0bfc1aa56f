/**
 * `db import`: reads a JSON Lines export (see jsonl-export.ts) and merges it into a store in one
 * transaction. A record whose key is stored already is skipped, so importing a file twice adds
 * nothing; a record that contradicts the store (a task name with other data) aborts the whole
 * import with an error at its line.
 */
import { readFileSync } from 'node:fs';
import { StoreError } from '../errors.ts';
import { canonicalJson } from './canonical.ts';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, RECORD_KINDS } from './jsonl-export.ts';
import type { RecordKind } from './jsonl-export.ts';
import { RecordReader } from './record-reader.ts';
import { applyRecord, parseRecord } from './jsonl-records.ts';
import type { ImportRecord } from './jsonl-records.ts';
import type * as R from './records.ts';
import type { WriteCount } from './records.ts';
import type { MetaStore } from './types.ts';

/** Per record kind, how many were inserted and how many skipped as already stored. */
export type ImportResult = Record<RecordKind, WriteCount>;

/**
 * Imports an export file into a store, all or nothing.
 * @param store - where to import (a layered store writes into the user database)
 * @param path - the JSON Lines file
 * @returns counts per record kind
 * @throws StoreError at the file and line of the first bad or conflicting record; nothing is written then
 */
export function importFile(store: MetaStore, path: string): ImportResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new StoreError(`cannot read the file: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  }
  return importLines(store, text.split(/\r?\n/), path);
}

/**
 * Imports export lines into a store, all or nothing.
 * @param lines - the header line, then record lines (empty lines are ignored)
 * @param file - the file name for error messages
 */
export function importLines(store: MetaStore, lines: readonly string[], file: string): ImportResult {
  const records = parseLines(lines, file);
  const result = Object.fromEntries(RECORD_KINDS.map((k) => [k, { inserted: 0, skipped: 0 }]));
  const counts: Record<string, { inserted: number; skipped: number }> = result;
  store.batch(() => {
    for (const kind of RECORD_KINDS) {
      const ofKind = records.filter((r) => r.kind === kind);
      const bulk = applyBulk(store, ofKind);
      if (bulk !== undefined) {
        counts[kind] = { ...bulk };
        continue;
      }
      for (const record of ofKind) {
        const inserted = applyAt(store, record, file);
        counts[kind].inserted += inserted ? 1 : 0;
        counts[kind].skipped += inserted ? 0 : 1;
      }
    }
  });
  return {
    space: counts.space, task: counts.task, metaFeatures: counts.metaFeatures, configuration: counts.configuration,
    evaluation: counts.evaluation, study: counts.study, trial: counts.trial, metaModel: counts.metaModel,
    provenance: counts.provenance,
  };
}

/**
 * Writes the many-row kinds (configurations, evaluations) in one call. When that throws, its
 * savepoint is rolled back and the caller replays record by record to report the failing line.
 * @returns the counts, or undefined for other kinds or on failure
 */
function applyBulk(store: MetaStore, records: readonly ImportRecord[]): WriteCount | undefined {
  const configurations: R.ConfigurationInput[] = [];
  const evaluations: R.EvaluationInput[] = [];
  for (const record of records) {
    if (record.kind === 'configuration') configurations.push(record.value);
    else if (record.kind === 'evaluation') evaluations.push(record.value);
    else return undefined;
  }
  try {
    return configurations.length > 0 ? store.addConfigurations(configurations) : store.addEvaluations(evaluations);
  } catch (error) {
    if (error instanceof StoreError) return undefined;
    throw error;
  }
}

function applyAt(store: MetaStore, record: ImportRecord, file: string): boolean {
  try {
    return applyRecord(store, record);
  } catch (error) {
    if (error instanceof StoreError && error.location.line === undefined) {
      throw new StoreError(error.message, { file, line: record.line }, { cause: error });
    }
    throw error;
  }
}

function parseLines(lines: readonly string[], file: string): ImportRecord[] {
  checkHeader(lines[0] ?? '', file);
  const records: ImportRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const location = { file, line: i + 1 };
    const reader = new RecordReader(parseJson(lines[i], location), location);
    records.push(parseRecord(reader, reader.oneOf('record', RECORD_KINDS), i + 1));
  }
  return records;
}

function checkHeader(line: string, file: string): void {
  const location = { file, line: 1 };
  const header = new RecordReader(parseJson(line, location), location);
  if (header.string('format') !== EXPORT_FORMAT) throw header.error('format', `'${EXPORT_FORMAT}'`);
  const version = header.number('formatVersion');
  if (version > EXPORT_FORMAT_VERSION) {
    throw new StoreError(
      `format version ${version} was written by a newer metatune; this one reads version ${EXPORT_FORMAT_VERSION}`,
      location,
    );
  }
  if (version !== EXPORT_FORMAT_VERSION) throw header.error('formatVersion', String(EXPORT_FORMAT_VERSION));
}

function parseJson(text: string, location: { file: string; line: number }): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoreError(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`, location);
  }
}

/** @returns whether two JSON-like values are equal as canonical JSON */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
