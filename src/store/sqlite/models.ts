/** Meta-models and provenance in SQLite. */
import type { SqlConnection } from '../sql-connection.ts';
import { canonicalJson, nowIso, parseStoredJson, sha256Hex } from '../canonical.ts';
import type { MetaModelInput, MetaModelRecord, ProvenanceInput, ProvenanceRecord } from '../records.ts';
import type { MetaModelSummary } from '../types.ts';
import { requireName } from '../validate.ts';

interface ModelRow {
  name: string;
  version: string;
  weights: Uint8Array;
  report: string;
  created_at: string;
}

/** Stores a meta-model (call inside a write transaction). @returns false when already stored */
export function addMetaModel(db: SqlConnection, model: MetaModelInput): boolean {
  requireName(model.name, 'meta-model name');
  requireName(model.version, `meta-model '${model.name}': version`);
  const result = db
    .prepare(
      `INSERT INTO meta_models (name, version, weights, report, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (name, version) DO NOTHING`,
    )
    .run(model.name, model.version, Buffer.from(model.weights), canonicalJson(model.report), model.createdAt ?? nowIso());
  return result.changes > 0;
}

/** @returns that version of the model, or its most recently stored version */
export function getMetaModel(db: SqlConnection, name: string, version?: string): MetaModelRecord | undefined {
  const row = db
    .prepare<[string, string | null, string | null], ModelRow>(
      `SELECT name, version, weights, report, created_at FROM meta_models
       WHERE name = ? AND (? IS NULL OR version = ?) ORDER BY created_at DESC, version DESC LIMIT 1`,
    )
    .get(name, version ?? null, version ?? null);
  if (row === undefined) return undefined;
  return {
    name: row.name,
    version: row.version,
    weights: new Uint8Array(row.weights),
    report: parseStoredJson(row.report),
    createdAt: row.created_at,
  };
}

/** @returns every model without weights, sorted by name then version */
export function listMetaModels(db: SqlConnection): MetaModelSummary[] {
  return db
    .prepare<[], Omit<ModelRow, 'weights'> & { size_bytes: number }>(
      'SELECT name, version, report, created_at, length(weights) AS size_bytes FROM meta_models ORDER BY name, version',
    )
    .all()
    .map((row) => ({
      name: row.name,
      version: row.version,
      report: parseStoredJson(row.report),
      createdAt: row.created_at,
      sizeBytes: row.size_bytes,
    }));
}

/** @returns the content id of a provenance entry: equal entries get equal ids */
export function provenanceId(entry: ProvenanceInput & { readonly createdAt: string }): string {
  const { kind, command, seed, metatuneVersion, backend, details, createdAt } = entry;
  return sha256Hex(canonicalJson({ kind, command, seed, metatuneVersion, backend, details, createdAt })).slice(0, 16);
}

/** Records provenance (call inside a write transaction). @returns the stored entry */
export function addProvenance(db: SqlConnection, input: ProvenanceInput): ProvenanceRecord {
  requireName(input.kind, 'provenance kind');
  const entry = { ...input, details: parseStoredJson(canonicalJson(input.details)), createdAt: input.createdAt ?? nowIso() };
  const id = provenanceId(entry);
  db.prepare(
    `INSERT INTO provenance (id, kind, command, seed, metatune_version, backend, details, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  ).run(id, entry.kind, entry.command, entry.seed, entry.metatuneVersion, entry.backend, canonicalJson(entry.details), entry.createdAt);
  return { ...entry, id };
}

interface ProvenanceRow {
  id: string;
  kind: string;
  command: string;
  seed: number | null;
  metatune_version: string;
  backend: string | null;
  details: string;
  created_at: string;
}

/** @returns every provenance entry sorted by time then id */
export function listProvenance(db: SqlConnection): ProvenanceRecord[] {
  return db
    .prepare<[], ProvenanceRow>(
      'SELECT id, kind, command, seed, metatune_version, backend, details, created_at FROM provenance ORDER BY created_at, id',
    )
    .all()
    .map((row) => ({
      id: row.id,
      kind: row.kind,
      command: row.command,
      seed: row.seed,
      metatuneVersion: row.metatune_version,
      backend: row.backend,
      details: parseStoredJson(row.details),
      createdAt: row.created_at,
    }));
}
