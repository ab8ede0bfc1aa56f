/**
 * `db import`: reads a JSON Lines export (see jsonl-export.ts) and merges it into a store in one
 * transaction. A record whose key is stored already with the same content is skipped, so importing
 * a file twice adds nothing; a record that means nothing (see import-checks.ts: a score outside its
 * metric's range, a hash that is not its configuration's, a configuration outside its space), that
 * has a field the format does not know, or that contradicts the store or an earlier line (the same
 * key with another value) aborts the whole import with an error at its line.
 */
import { readFileSync, statSync } from 'node:fs';
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
import { checkEvaluationMeaning, checkTaskMeaning, checkTrialHash, contradiction, evaluationContradiction, ImportSpaces, recordIdentity } from './import-checks.ts';

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
  checkImportFile(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new StoreError(`cannot read the file: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  }
  return importLines(store, text.split(/\r?\n/), path);
}

/** The largest file `db import` reads: it reads the file whole, and V8 strings stop near 512 MiB. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

/**
 * Refuses what cannot be an export file before reading it: a directory, a device (`/dev/zero`
 * would be read forever), a file too large to read whole.
 * @throws StoreError naming the file
 */
export function checkImportFile(path: string): void {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new StoreError(`cannot read the file: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  }
  if (stats.isDirectory()) throw new StoreError('is a directory; expected a JSON Lines export (metatune db export)', { file: path });
  if (!stats.isFile()) throw new StoreError('is not a regular file (a device, pipe or socket); expected a JSON Lines export', { file: path });
  if (stats.size > MAX_IMPORT_BYTES) {
    throw new StoreError(`the file has ${stats.size} bytes; db import reads files up to ${MAX_IMPORT_BYTES} bytes whole: split the export by record kind`, { file: path });
  }
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
    const spaces = new ImportSpaces(store);
    for (const kind of RECORD_KINDS) {
      const ofKind = records.filter((r) => r.kind === kind);
      for (const record of ofKind) checkRecord(store, spaces, record, file);
      if (kind === 'evaluation') checkEvaluations(store, ofKind, file);
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

/**
 * Checks one record's meaning and that it agrees with the store (inside the import's transaction,
 * after the kinds before it were written).
 * @throws StoreError at the record's line
 */
function checkRecord(store: MetaStore, spaces: ImportSpaces, record: ImportRecord, file: string): void {
  const at = { file, line: record.line };
  if (record.kind === 'space') spaces.addFromFile(record.value, at);
  else if (record.kind === 'task') checkTaskMeaning(record.value, at);
  else if (record.kind === 'configuration') spaces.checkConfiguration(record.value.space, record.value.hash, record.value.config, at);
  else if (record.kind === 'evaluation') {
    checkEvaluationMeaning(record.value, at);
    spaces.checkConfiguration(record.value.space, record.value.configHash, record.value.config, at);
  } else if (record.kind === 'trial') checkTrialHash(record.value, at);
  const conflict = contradiction(store, record);
  if (conflict !== undefined) throw contradicts(at, conflict);
}

function checkEvaluations(store: MetaStore, records: readonly ImportRecord[], file: string): void {
  const evaluations = records.filter((r): r is ImportRecord & { kind: 'evaluation' } => r.kind === 'evaluation');
  const found = evaluationContradiction(store, evaluations);
  if (found === undefined) return;
  const s = found.stored;
  throw contradicts(
    { file, line: found.record.line },
    `the evaluation of configuration ${s.configHash} on task '${s.task}' (protocol ${s.protocolId}, fidelity ${s.fidelity}, seed ${s.seed}) ` +
      `is stored with status ${s.status}, primaryScore ${s.primaryScore}`,
  );
}

function contradicts(at: { file: string; line: number }, what: string): StoreError {
  return new StoreError(`this record contradicts the store: ${what}; the same key must hold the same value. Nothing was imported`, at);
}

function applyAt(store: MetaStore, record: ImportRecord, file: string): boolean {
  try {
    return applyRecord(store, record);
  } catch (error) {
    if (error instanceof StoreError && error.location.line === undefined && error.location.file === undefined) {
      throw new StoreError(error.message, { file, line: record.line }, { cause: error });
    }
    throw error;
  }
}

/**
 * Parses every line: a byte-order mark before the header is dropped, a field the format does not
 * know is refused, and a key repeated with another value contradicts its first line.
 * @throws StoreError at the line
 */
function parseLines(lines: readonly string[], file: string): ImportRecord[] {
  checkHeader((lines[0] ?? '').replace(/^\uFEFF/, ''), file);
  const records: ImportRecord[] = [];
  const seen = new Map<string, { line: number; meaning: string }>();
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const location = { file, line: i + 1 };
    const raw = parseJson(lines[i], location);
    const reader = new RecordReader(raw, location);
    const record = parseRecord(reader, reader.oneOf('record', RECORD_KINDS), i + 1);
    refuseUnknownFields(raw, record, location);
    const identity = recordIdentity(record);
    const earlier = seen.get(identity.key);
    if (earlier !== undefined && earlier.meaning !== identity.meaning) {
      throw new StoreError(`this ${record.kind} record has the key of line ${earlier.line} with another value; the file contradicts itself`, location);
    }
    if (earlier === undefined) seen.set(identity.key, { line: i + 1, meaning: identity.meaning });
    records.push(record);
  }
  return records;
}

/** @throws StoreError naming the first field of `raw` that its record kind does not have */
function refuseUnknownFields(raw: unknown, record: ImportRecord, location: { file: string; line: number }): void {
  if (typeof raw !== 'object' || raw === null) return;
  const known = new Set(['record', ...Object.keys(record.value)]);
  const unknown = Object.keys(raw).find((k) => !known.has(k));
  if (unknown !== undefined) {
    throw new StoreError(`unknown field '${unknown}' in a ${record.kind} record (format version ${EXPORT_FORMAT_VERSION} has ${[...known].sort().join(', ')})`, { ...location, column: unknown });
  }
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
