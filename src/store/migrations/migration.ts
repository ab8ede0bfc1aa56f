import type Database from 'better-sqlite3';

/**
 * One numbered schema change. Migrations run in order, each exactly once, inside the upgrade's
 * transaction; a released migration is never edited (add a new one instead), because fixture
 * databases of every old version are upgraded through it in the tests.
 */
export interface Migration {
  /** The schema version this migration produces: 1, 2, 3... */
  readonly version: number;
  /** What it changes, in a few words. */
  readonly description: string;
  /** Applies the change. */
  up(db: Database.Database): void;
}
