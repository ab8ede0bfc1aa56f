import type { Migration } from './migration.ts';

/**
 * Lets several processes share one study: `trial_leases` records which worker (host, pid and a
 * random token) holds each running trial and when it last beat, so that a trial whose owner died
 * can be re-claimed under its number after a grace period and no live worker's trial is taken
 * over; `trial_queue` is the study's warm-start queue, so that a queued configuration is started
 * exactly once whichever process enqueued or claims it. Both are new tables: the rows of
 * `trials` (and so exports) do not change.
 */
export const migration003: Migration = {
  version: 3,
  description: 'trial leases (owner, heartbeat) and a persistent warm-start queue for shared studies',
  up(db) {
    db.exec(`
      CREATE TABLE trial_leases (
        trial_id INTEGER PRIMARY KEY REFERENCES trials(id) ON DELETE CASCADE,
        owner TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        heartbeat_at INTEGER NOT NULL
      );
      CREATE INDEX trial_leases_by_owner ON trial_leases(owner);
      CREATE TABLE trial_queue (
        id INTEGER PRIMARY KEY,
        study_id INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
        config_hash TEXT NOT NULL,
        config TEXT NOT NULL,
        origin TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX trial_queue_by_study ON trial_queue(study_id, id);
    `);
  },
};
