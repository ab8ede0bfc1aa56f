/** Every schema migration, in order. The last one's version is the schema this code reads and writes. */
import type { Migration } from './migration.ts';
import { migration001 } from './001_initial.ts';
import { migration002 } from './002_configuration_origin.ts';
import { migration003 } from './003_study_coordination.ts';

export type { Migration } from './migration.ts';

/** All migrations, ordered by version (1, 2, ... without gaps). */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003];

/** The schema version of a database this code can use. */
export const CURRENT_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1].version;
