/** Tasks and their meta-feature vectors in SQLite. */
import type { SqlConnection } from '../sql-connection.ts';
import { StoreError } from '../../errors.ts';
import { finiteOrNull, nowIso } from '../canonical.ts';
import type { MetaFeatureInput, MetaFeatureRecord, TaskInput, TaskRecord } from '../records.ts';
import { validateTask } from '../validate.ts';

interface TaskRow {
  name: string;
  source: string;
  content_hash: string;
  n_rows: number;
  n_features: number;
  task_type: string;
  target: string;
  n_classes: number | null;
  created_at: string;
}

const TASK_COLUMNS = 'name, source, content_hash, n_rows, n_features, task_type, target, n_classes, created_at';

function toTask(row: TaskRow): TaskRecord {
  return {
    name: row.name,
    source: row.source,
    contentHash: row.content_hash,
    nRows: row.n_rows,
    nFeatures: row.n_features,
    taskType: row.task_type === 'regression' ? 'regression' : 'classification',
    target: row.target,
    nClasses: row.n_classes,
    createdAt: row.created_at,
  };
}

/** @returns the task, or undefined */
export function getTask(db: SqlConnection, name: string): TaskRecord | undefined {
  const row = db.prepare<[string], TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE name = ?`).get(name);
  return row === undefined ? undefined : toTask(row);
}

/** @returns every task sorted by name */
export function listTasks(db: SqlConnection): TaskRecord[] {
  return db.prepare<[], TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks ORDER BY name`).all().map(toTask);
}

/**
 * Registers a task (call inside a write transaction).
 * @throws StoreError when the name is taken by another content hash
 */
export function addTask(db: SqlConnection, task: TaskInput): TaskRecord {
  validateTask(task);
  const existing = getTask(db, task.name);
  if (existing !== undefined) {
    if (existing.contentHash !== task.contentHash) {
      throw new StoreError(
        `task '${task.name}' is already registered from other data (sha256 ${existing.contentHash.slice(0, 12)}…, ` +
          `this file ${task.contentHash.slice(0, 12)}…); register it under another name`,
      );
    }
    return existing;
  }
  db.prepare(`INSERT INTO tasks (${TASK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    task.name, task.source, task.contentHash, task.nRows, task.nFeatures, task.taskType, task.target,
    task.nClasses, task.createdAt ?? nowIso(),
  );
  const stored = getTask(db, task.name);
  if (stored === undefined) throw new StoreError(`task '${task.name}' vanished after insert`);
  return stored;
}

/**
 * @returns the row id of a task
 * @throws StoreError for an unknown task
 */
export function taskId(db: SqlConnection, name: string): number {
  const row = db.prepare<[string], { id: number }>('SELECT id FROM tasks WHERE name = ?').get(name);
  if (row === undefined) throw new StoreError(`unknown task '${name}' (see \`metatune db tasks\`)`);
  return row.id;
}

/**
 * Stores a meta-feature vector, replacing one of the same extractor version (call inside a write
 * transaction). Every name of `values` or `missing` gets a row.
 * @throws StoreError for an unknown task
 */
export function putMetaFeatures(db: SqlConnection, task: string, features: MetaFeatureInput): void {
  const id = taskId(db, task);
  const version = String(features.extractorVersion);
  db.prepare('DELETE FROM meta_feature_sets WHERE task_id = ? AND extractor_version = ?').run(id, version);
  db.prepare('INSERT INTO meta_feature_sets (task_id, extractor_version, created_at) VALUES (?, ?, ?)').run(
    id, version, features.createdAt ?? nowIso(),
  );
  const insert = db.prepare(
    'INSERT INTO meta_features (task_id, extractor_version, name, value, missing_reason) VALUES (?, ?, ?, ?, ?)',
  );
  const names = new Set([...Object.keys(features.values), ...Object.keys(features.missing)]);
  for (const name of [...names].sort()) {
    insert.run(id, version, name, finiteOrNull(features.values[name]), features.missing[name] ?? null);
  }
}

interface FeatureRow {
  task: string;
  extractor_version: string;
  created_at: string;
  name: string | null;
  value: number | null;
  missing_reason: string | null;
}

const FEATURE_SELECT = `
  SELECT t.name AS task, s.extractor_version, s.created_at, f.name, f.value, f.missing_reason
  FROM meta_feature_sets s
  JOIN tasks t ON t.id = s.task_id
  LEFT JOIN meta_features f ON f.task_id = s.task_id AND f.extractor_version = s.extractor_version`;

/** Groups joined feature rows (sorted by task, version) into vectors. */
function groupFeatures(rows: readonly FeatureRow[]): MetaFeatureRecord[] {
  const out: MetaFeatureRecord[] = [];
  let current: { task: string; extractorVersion: string; createdAt: string; values: Record<string, number | null>; missing: Record<string, string> } | undefined;
  for (const row of rows) {
    if (current === undefined || current.task !== row.task || current.extractorVersion !== row.extractor_version) {
      current = { task: row.task, extractorVersion: row.extractor_version, createdAt: row.created_at, values: {}, missing: {} };
      out.push(current);
    }
    if (row.name === null) continue;
    current.values[row.name] = row.value;
    if (row.missing_reason !== null) current.missing[row.name] = row.missing_reason;
  }
  return out;
}

/** @returns the task's vector of that version, or its most recently stored one */
export function getMetaFeatures(db: SqlConnection, task: string, version?: string): MetaFeatureRecord | undefined {
  const set = db
    .prepare<[string, string | null, string | null], { extractor_version: string }>(
      `SELECT s.extractor_version FROM meta_feature_sets s JOIN tasks t ON t.id = s.task_id
       WHERE t.name = ? AND (? IS NULL OR s.extractor_version = ?)
       ORDER BY s.created_at DESC, s.extractor_version DESC LIMIT 1`,
    )
    .get(task, version ?? null, version ?? null);
  if (set === undefined) return undefined;
  const rows = db
    .prepare<[string, string], FeatureRow>(`${FEATURE_SELECT} WHERE t.name = ? AND s.extractor_version = ? ORDER BY f.name`)
    .all(task, set.extractor_version);
  return groupFeatures(rows)[0];
}

/** @returns every vector, sorted by task then extractor version */
export function listMetaFeatures(db: SqlConnection): MetaFeatureRecord[] {
  const rows = db.prepare<[], FeatureRow>(`${FEATURE_SELECT} ORDER BY t.name, s.extractor_version, f.name`).all();
  return groupFeatures(rows);
}
