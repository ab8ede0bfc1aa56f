/** Studies (searches) and their trials in SQLite. */
import type { SqlConnection } from '../sql-connection.ts';
import { StoreError } from '../../errors.ts';
import { canonicalJson as canonicalConfigJson } from '../../spaces/canonical.ts';
import { canonicalJson, finiteOrNull, nowIso, parseStoredJson } from '../canonical.ts';
import type { StudyInput, StudyRecord, TrialInput, TrialOutcome, TrialRecord, TrialState, WriteCount } from '../records.ts';
import { requireCount, requireName, validateOutcome } from '../validate.ts';
import { parseConfiguration } from './evaluations.ts';
import { studyId } from './study-ids.ts';
import { taskId } from './tasks.ts';

interface StudyRow {
  id: number;
  name: string;
  direction: string;
  space: string;
  task: string | null;
  settings: string;
  created_at: string;
}

const STUDY_SELECT = `SELECT s.id, s.name, s.direction, s.space, t.name AS task, s.settings, s.created_at
  FROM studies s LEFT JOIN tasks t ON t.id = s.task_id`;

const toStudy = (row: StudyRow): StudyRecord => ({
  name: row.name,
  direction: row.direction === 'minimize' ? 'minimize' : 'maximize',
  space: row.space,
  task: row.task,
  settings: parseStoredJson(row.settings),
  createdAt: row.created_at,
});

function studyRow(db: SqlConnection, name: string): StudyRow | undefined {
  return db.prepare<[string], StudyRow>(`${STUDY_SELECT} WHERE s.name = ?`).get(name);
}

/** @returns the study, or undefined */
export function getStudy(db: SqlConnection, name: string): StudyRecord | undefined {
  const row = studyRow(db, name);
  return row === undefined ? undefined : toStudy(row);
}

/** @returns every study sorted by name */
export function listStudies(db: SqlConnection): StudyRecord[] {
  return db.prepare<[], StudyRow>(`${STUDY_SELECT} ORDER BY s.name`).all().map(toStudy);
}

/**
 * Creates a study or returns the matching stored one (call inside a write transaction).
 * @throws StoreError when the name is taken by a different study, or for an unknown task
 */
export function createStudy(db: SqlConnection, study: StudyInput): StudyRecord {
  requireName(study.name, 'study name');
  requireName(study.space, `study '${study.name}': space`);
  if (study.direction !== 'maximize' && study.direction !== 'minimize') {
    throw new StoreError(`study '${study.name}': direction must be 'maximize' or 'minimize', got '${study.direction}'`);
  }
  const existing = getStudy(db, study.name);
  if (existing !== undefined) {
    if (existing.direction !== study.direction || existing.space !== study.space || existing.task !== study.task) {
      throw new StoreError(
        `study '${study.name}' exists for space '${existing.space}', task '${existing.task ?? '-'}', ` +
          `${existing.direction}; choose another name to start a different search`,
      );
    }
    return existing;
  }
  const task = study.task === null ? null : taskId(db, study.task);
  db.prepare('INSERT INTO studies (name, direction, space, task_id, settings, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    study.name, study.direction, study.space, task, canonicalJson(study.settings), study.createdAt ?? nowIso(),
  );
  return getStudy(db, study.name) ?? toStudyMissing(study.name);
}

function toStudyMissing(name: string): never {
  throw new StoreError(`study '${name}' vanished after insert`);
}


interface TrialRow {
  id: number;
  number: number;
  state: string;
  config_hash: string;
  config: string;
  origin: string;
  value: number | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

const TRIAL_COLUMNS = 'id, number, state, config_hash, config, origin, value, error, started_at, finished_at';
const TRIAL_STATES: readonly TrialState[] = ['running', 'complete', 'failed', 'pruned'];

interface StepRow {
  trial_id: number;
  step: number;
  value: number | null;
}

/** @returns a trial's intermediate values by step (null where a step was not reported) */
function intermediateOf(steps: readonly StepRow[]): (number | null)[] {
  const intermediate: (number | null)[] = [];
  for (const { step, value } of steps) {
    while (intermediate.length < step) intermediate.push(null);
    intermediate[step] = value;
  }
  return intermediate;
}

function toTrial(db: SqlConnection, study: string, row: TrialRow, steps?: readonly StepRow[]): TrialRecord {
  const own = steps ?? db
    .prepare<[number], StepRow>('SELECT trial_id, step, value FROM trial_intermediate WHERE trial_id = ? ORDER BY step')
    .all(row.id);
  return {
    study,
    number: row.number,
    state: TRIAL_STATES.find((s) => s === row.state) ?? 'failed',
    configHash: row.config_hash,
    config: parseConfiguration(row.config),
    origin: row.origin,
    value: row.value,
    error: row.error,
    intermediate: intermediateOf(own),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

function trialRow(db: SqlConnection, study: string, number: number): TrialRow {
  const row = db
    .prepare<[number, number], TrialRow>(`SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ? AND number = ?`)
    .get(studyId(db, study), number);
  if (row === undefined) throw new StoreError(`study '${study}' has no trial ${number}`);
  return row;
}

function runningTrialRow(db: SqlConnection, study: string, number: number): TrialRow {
  const row = trialRow(db, study, number);
  if (row.state !== 'running') throw new StoreError(`trial ${number} of study '${study}' is ${row.state}, not running`);
  return row;
}

/** Starts a trial with the next free number (call inside a write transaction). */
export function startTrial(db: SqlConnection, study: string, trial: TrialInput): TrialRecord {
  requireName(trial.configHash, 'trial configHash');
  requireName(trial.origin, 'trial origin');
  const id = studyId(db, study);
  const next = db
    .prepare<[number], { next: number }>('SELECT COALESCE(MAX(number) + 1, 0) AS next FROM trials WHERE study_id = ?')
    .get(id);
  const number = next?.next ?? 0;
  const config = canonicalConfigJson(trial.config);
  const startedAt = trial.startedAt ?? nowIso();
  db.prepare(
    `INSERT INTO trials (study_id, number, state, config_hash, config, origin, started_at) VALUES (?, ?, 'running', ?, ?, ?, ?)`,
  ).run(id, number, trial.configHash, config, trial.origin, startedAt);
  // the row just written, as it reads back (without reading it back: a round trip on a server)
  return {
    study, number, state: 'running', configHash: trial.configHash, config: parseConfiguration(config), origin: trial.origin,
    value: null, error: null, intermediate: [], startedAt, finishedAt: null,
  };
}

/** Records a running trial's value at a step (call inside a write transaction). */
export function reportIntermediate(db: SqlConnection, study: string, number: number, step: number, value: number): void {
  requireCount(step, 'step');
  const row = runningTrialRow(db, study, number);
  db.prepare(
    'INSERT INTO trial_intermediate (trial_id, step, value) VALUES (?, ?, ?) ON CONFLICT (trial_id, step) DO UPDATE SET value = excluded.value',
  ).run(row.id, step, finiteOrNull(value));
}

/** Ends a running trial (call inside a write transaction). */
export function finishTrial(db: SqlConnection, study: string, number: number, outcome: TrialOutcome): TrialRecord {
  validateOutcome(outcome);
  const row = runningTrialRow(db, study, number);
  db.prepare('UPDATE trials SET state = ?, value = ?, error = ?, finished_at = ? WHERE id = ?').run(
    outcome.state, finiteOrNull(outcome.value), outcome.error ?? null, outcome.finishedAt ?? nowIso(), row.id,
  );
  if (outcome.config !== undefined) {
    if (outcome.configHash === undefined) throw new StoreError(`trial ${number} of study '${study}': a configuration needs its hash`);
    db.prepare('UPDATE trials SET config = ?, config_hash = ? WHERE id = ?').run(canonicalConfigJson(outcome.config), outcome.configHash, row.id);
  }
  return toTrial(db, study, trialRow(db, study, number));
}

/**
 * @returns the study's trials sorted by number. Two queries whatever the number of trials (their
 *   rows, then every intermediate value of the study): each claim reads the whole study, and on a
 *   server a query per trial would cost a round trip each.
 */
export function listTrials(db: SqlConnection, study: string): TrialRecord[] {
  const id = studyId(db, study);
  const rows = db.prepare<[number], TrialRow>(`SELECT ${TRIAL_COLUMNS} FROM trials WHERE study_id = ? ORDER BY number`).all(id);
  const steps = new Map<number, StepRow[]>();
  const all = db
    .prepare<[number], StepRow>(
      'SELECT i.trial_id, i.step, i.value FROM trial_intermediate i JOIN trials t ON t.id = i.trial_id WHERE t.study_id = ? ORDER BY i.trial_id, i.step',
    )
    .all(id);
  for (const step of all) {
    const list = steps.get(step.trial_id);
    if (list === undefined) steps.set(step.trial_id, [step]);
    else list.push(step);
  }
  return rows.map((row) => toTrial(db, study, row, steps.get(row.id) ?? []));
}

/** Stores whole trials, skipping stored (study, number) pairs (call inside a write transaction). */
export function addTrials(db: SqlConnection, trials: readonly TrialRecord[]): WriteCount {
  const insert = db.prepare(
    `INSERT INTO trials (study_id, number, state, config_hash, config, origin, value, error, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (study_id, number) DO NOTHING`,
  );
  const step = db.prepare('INSERT INTO trial_intermediate (trial_id, step, value) VALUES (?, ?, ?)');
  let inserted = 0;
  for (const trial of trials) {
    requireCount(trial.number, 'trial number');
    if (!TRIAL_STATES.includes(trial.state)) throw new StoreError(`trial ${trial.number}: unknown state '${trial.state}'`);
    const result = insert.run(
      studyId(db, trial.study), trial.number, trial.state, trial.configHash, canonicalConfigJson(trial.config), trial.origin,
      finiteOrNull(trial.value), trial.error, trial.startedAt, trial.finishedAt,
    );
    if (result.changes === 0) continue;
    inserted++;
    trial.intermediate.forEach((value, i) => {
      if (value !== null) step.run(Number(result.lastInsertRowid), i, finiteOrNull(value));
    });
  }
  return { inserted, skipped: trials.length - inserted };
}
