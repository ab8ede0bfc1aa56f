/**
 * What several processes sharing a study need in SQLite: the lease (owner and heartbeat) of each
 * running trial, and the study's persistent warm-start queue. Call the writers inside a write
 * transaction; the claim that combines them is `src/search/claim.ts`.
 */
import type { SqlConnection } from '../sql-connection.ts';
import { StoreError } from '../../errors.ts';
import { canonicalJson as canonicalConfigJson } from '../../spaces/canonical.ts';
import { nowIso } from '../canonical.ts';
import type { QueuedTrial, TrialLease } from '../records.ts';
import { requireName } from '../validate.ts';
import { parseConfiguration } from './evaluations.ts';
import { studyId } from './study-ids.ts';

function trialId(db: SqlConnection, study: string, number: number): number {
  const row = db.prepare<[number, number], { id: number }>('SELECT id FROM trials WHERE study_id = ? AND number = ?').get(studyId(db, study), number);
  if (row === undefined) throw new StoreError(`study '${study}' has no trial ${number}`);
  return row.id;
}

/**
 * Sets (or, with null, removes) the lease of a trial.
 * @throws StoreError for an unknown study or trial
 */
export function setTrialLease(db: SqlConnection, study: string, number: number, lease: Omit<TrialLease, 'number'> | null): void {
  const id = trialId(db, study, number);
  if (lease === null) {
    db.prepare('DELETE FROM trial_leases WHERE trial_id = ?').run(id);
    return;
  }
  requireName(lease.owner, 'lease owner');
  db.prepare(
    `INSERT INTO trial_leases (trial_id, owner, host, pid, heartbeat_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (trial_id) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid, heartbeat_at = excluded.heartbeat_at`,
  ).run(id, lease.owner, lease.host, lease.pid, Math.round(lease.heartbeatAt));
}

/** @returns the leases of the study's running trials, sorted by trial number */
export function listTrialLeases(db: SqlConnection, study: string): TrialLease[] {
  return db
    .prepare<[number], { number: number; owner: string; host: string; pid: number; heartbeat_at: number }>(
      `SELECT t.number, l.owner, l.host, l.pid, l.heartbeat_at FROM trial_leases l JOIN trials t ON t.id = l.trial_id
       WHERE t.study_id = ? AND t.state = 'running' ORDER BY t.number`,
    )
    .all(studyId(db, study))
    .map((r) => ({ number: r.number, owner: r.owner, host: r.host, pid: r.pid, heartbeatAt: r.heartbeat_at }));
}

/** Sets the heartbeat of every running trial of the study that `owner` holds. @returns how many */
export function touchTrialLeases(db: SqlConnection, study: string, owner: string, at: number): number {
  return db
    .prepare(
      `UPDATE trial_leases SET heartbeat_at = ? WHERE owner = ? AND trial_id IN
       (SELECT id FROM trials WHERE study_id = ? AND state = 'running')`,
    )
    .run(Math.round(at), owner, studyId(db, study)).changes;
}

/** Appends a configuration to the study's queue. */
export function enqueueTrial(db: SqlConnection, study: string, entry: QueuedTrial): void {
  requireName(entry.configHash, 'queued configHash');
  requireName(entry.origin, 'queued origin');
  db.prepare('INSERT INTO trial_queue (study_id, config_hash, config, origin, created_at) VALUES (?, ?, ?, ?, ?)').run(
    studyId(db, study), entry.configHash, canonicalConfigJson(entry.config), entry.origin, nowIso(),
  );
}

interface QueueRow {
  id: number;
  config_hash: string;
  config: string;
  origin: string;
}

const toQueued = (row: QueueRow): QueuedTrial => ({ configHash: row.config_hash, config: parseConfiguration(row.config), origin: row.origin });

/** @returns the study's queue, oldest first */
export function listQueue(db: SqlConnection, study: string): QueuedTrial[] {
  return db
    .prepare<[number], QueueRow>('SELECT id, config_hash, config, origin FROM trial_queue WHERE study_id = ? ORDER BY id')
    .all(studyId(db, study))
    .map(toQueued);
}

/** Removes and returns the oldest queued configuration, or undefined when the queue is empty. */
export function dequeueTrial(db: SqlConnection, study: string): QueuedTrial | undefined {
  const row = db
    .prepare<[number], QueueRow>('SELECT id, config_hash, config, origin FROM trial_queue WHERE study_id = ? ORDER BY id LIMIT 1')
    .get(studyId(db, study));
  if (row === undefined) return undefined;
  db.prepare('DELETE FROM trial_queue WHERE id = ?').run(row.id);
  return toQueued(row);
}
