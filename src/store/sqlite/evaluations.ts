/** Configurations and evaluations in SQLite. */
import type { SqlConnection } from '../sql-connection.ts';
import { StoreError } from '../../errors.ts';
import { canonicalJson as canonicalConfigJson } from '../../spaces/canonical.ts';
import { canonicalJson, storedCurve, finiteOrNull, finiteRecord, nowIso } from '../canonical.ts';
import type {
  ConfigurationInput,
  ConfigurationRecord,
  EvaluationInput,
  EvaluationQuery,
  EvaluationRecord,
  StoredConfiguration,
  WriteCount,
} from '../records.ts';
import type { EvaluationScore } from '../types.ts';
import { requireName, validateEvaluation } from '../validate.ts';
import { taskId } from './tasks.ts';

interface ConfigRow {
  id: number;
  space: string;
  hash: string;
  canonical_json: string;
  origin: string | null;
}

/** Parses a configuration the store wrote. */
export function parseConfiguration(json: string): StoredConfiguration {
  const config: StoredConfiguration = JSON.parse(json);
  return config;
}

/**
 * Finds or inserts a configuration (call inside a write transaction); a stored one without an
 * origin takes the given origin.
 * @returns its row id and whether it was inserted
 * @throws StoreError when the (space, hash) holds another configuration
 */
export function ensureConfiguration(db: SqlConnection, input: ConfigurationInput): { id: number; inserted: boolean } {
  requireName(input.space, 'configuration space');
  requireName(input.hash, `configuration of space '${input.space}': hash`);
  const json = canonicalConfigJson(input.config);
  const row = db
    .prepare<[string, string], ConfigRow>('SELECT id, space, hash, canonical_json, origin FROM configurations WHERE space = ? AND hash = ?')
    .get(input.space, input.hash);
  if (row !== undefined) {
    if (row.canonical_json !== json) {
      throw new StoreError(
        `configuration hash '${input.hash}' of space '${input.space}' already names ${row.canonical_json}, not ${json}`,
      );
    }
    if (row.origin === null && input.origin != null) {
      db.prepare('UPDATE configurations SET origin = ? WHERE id = ?').run(input.origin, row.id);
    }
    return { id: row.id, inserted: false };
  }
  const result = db
    .prepare('INSERT INTO configurations (space, hash, canonical_json, origin) VALUES (?, ?, ?, ?)')
    .run(input.space, input.hash, json, input.origin ?? null);
  return { id: Number(result.lastInsertRowid), inserted: true };
}

/** Stores configurations (call inside a write transaction). */
export function addConfigurations(db: SqlConnection, configs: readonly ConfigurationInput[]): WriteCount {
  let inserted = 0;
  for (const config of configs) if (ensureConfiguration(db, config).inserted) inserted++;
  return { inserted, skipped: configs.length - inserted };
}

/** @returns configurations of a space (all when omitted) sorted by space, hash */
export function listConfigurations(db: SqlConnection, space?: string): ConfigurationRecord[] {
  return db
    .prepare<[string | null, string | null], ConfigRow>(
      'SELECT id, space, hash, canonical_json, origin FROM configurations WHERE ? IS NULL OR space = ? ORDER BY space, hash',
    )
    .all(space ?? null, space ?? null)
    .map((row) => ({
      space: row.space,
      hash: row.hash,
      config: parseConfiguration(row.canonical_json),
      canonicalJson: row.canonical_json,
      origin: row.origin,
    }));
}

const INSERT_EVALUATION = `
  INSERT INTO evaluations (task_id, configuration_id, protocol_id, fidelity, seed, status, error, metrics,
    primary_score, curve, epochs_run, wall_time_ms, backend, metatune_version, created_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (task_id, configuration_id, protocol_id, fidelity, seed) DO NOTHING`;

/**
 * Stores evaluations and their configurations (call inside a write transaction).
 * @throws StoreError for an unknown task or a conflicting configuration hash
 */
export function addEvaluations(db: SqlConnection, rows: readonly EvaluationInput[]): WriteCount {
  const insert = db.prepare(INSERT_EVALUATION);
  const tasks = new Map<string, number>();
  let inserted = 0;
  for (const row of rows) {
    validateEvaluation(row);
    let task = tasks.get(row.task);
    if (task === undefined) {
      task = taskId(db, row.task);
      tasks.set(row.task, task);
    }
    const config = ensureConfiguration(db, { space: row.space, hash: row.configHash, config: row.config });
    const result = insert.run(
      task, config.id, row.protocolId, row.fidelity, row.seed, row.status, row.error ?? null,
      canonicalJson(finiteRecord(row.metrics)), finiteOrNull(row.primaryScore),
      canonicalJson(storedCurve(row.curve)), row.epochsRun, row.wallTimeMs, row.backend,
      row.metatuneVersion, row.createdAt ?? nowIso(),
    );
    inserted += result.changes;
  }
  return { inserted, skipped: rows.length - inserted };
}

interface EvaluationRow {
  task: string;
  space: string;
  hash: string;
  canonical_json: string;
  protocol_id: string;
  fidelity: number;
  seed: number;
  status: string;
  error: string | null;
  metrics: string;
  primary_score: number | null;
  curve: string;
  epochs_run: number;
  wall_time_ms: number;
  backend: string;
  metatune_version: string;
  created_at: string;
}

/** Builds the WHERE clause and parameters of a query. */
function whereClause(query: EvaluationQuery): { sql: string; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const add = (sql: string, value: string | undefined) => {
    if (value === undefined) return;
    clauses.push(sql);
    params.push(value);
  };
  add('t.name = ?', query.task);
  add('c.space = ?', query.space);
  add('c.hash = ?', query.configHash);
  add('e.protocol_id = ?', query.protocolId);
  add('e.status = ?', query.status);
  return { sql: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const FROM_EVALUATIONS = 'FROM evaluations e JOIN tasks t ON t.id = e.task_id JOIN configurations c ON c.id = e.configuration_id';
const ORDER_EVALUATIONS = 'ORDER BY t.name, c.space, c.hash, e.protocol_id, e.fidelity, e.seed';

function toEvaluation(row: EvaluationRow): EvaluationRecord {
  return {
    task: row.task,
    space: row.space,
    configHash: row.hash,
    config: parseConfiguration(row.canonical_json),
    protocolId: row.protocol_id,
    fidelity: row.fidelity,
    seed: row.seed,
    status: row.status === 'failed' ? 'failed' : 'ok',
    error: row.error,
    metrics: JSON.parse(row.metrics),
    primaryScore: row.primary_score,
    curve: JSON.parse(row.curve),
    epochsRun: row.epochs_run,
    wallTimeMs: row.wall_time_ms,
    backend: row.backend,
    metatuneVersion: row.metatune_version,
    createdAt: row.created_at,
  };
}

/** @returns matching evaluations sorted by their key */
export function listEvaluations(db: SqlConnection, query: EvaluationQuery = {}): EvaluationRecord[] {
  const where = whereClause(query);
  const sql = `SELECT t.name AS task, c.space, c.hash, c.canonical_json, e.protocol_id, e.fidelity, e.seed, e.status,
    e.error, e.metrics, e.primary_score, e.curve, e.epochs_run, e.wall_time_ms, e.backend, e.metatune_version,
    e.created_at ${FROM_EVALUATIONS} ${where.sql} ${ORDER_EVALUATIONS}`;
  return db.prepare<(string | number)[], EvaluationRow>(sql).all(...where.params).map(toEvaluation);
}

/** @returns key, status and primary score of matching evaluations, sorted by key */
export function listEvaluationScores(db: SqlConnection, query: EvaluationQuery = {}): EvaluationScore[] {
  const where = whereClause(query);
  const sql = `SELECT t.name AS task, c.space, c.hash, e.protocol_id, e.fidelity, e.seed, e.status, e.primary_score
    ${FROM_EVALUATIONS} ${where.sql} ${ORDER_EVALUATIONS}`;
  type KeyRow = Pick<EvaluationRow, 'task' | 'space' | 'hash' | 'protocol_id' | 'fidelity' | 'seed' | 'status' | 'primary_score'>;
  return db
    .prepare<(string | number)[], KeyRow>(sql)
    .all(...where.params)
    .map((row) => ({
      task: row.task,
      space: row.space,
      configHash: row.hash,
      protocolId: row.protocol_id,
      fidelity: row.fidelity,
      seed: row.seed,
      status: row.status === 'failed' ? 'failed' : 'ok',
      primaryScore: row.primary_score,
    }));
}
