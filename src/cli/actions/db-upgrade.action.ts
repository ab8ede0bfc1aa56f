/** `metatune db upgrade`: apply pending schema migrations to the user database, --db or --storage (SQLite or PostgreSQL). */
import { existsSync } from 'node:fs';
import { StoreError } from '../../errors.ts';
import { userDatabasePath } from '../../store/locations.ts';
import { PostgresMetaStore } from '../../store/postgres-store.ts';
import { upgradeStore } from '../../store/schema.ts';
import { parseStorageUrl } from '../../store/storage-url.ts';
import { printJson } from '../format.ts';
import type { DbContext } from './db.action.ts';

/**
 * Upgrades the database and reports the versions.
 * @throws StoreError when the database does not exist or is newer than this metatune
 */
export async function runDbUpgrade(context: DbContext): Promise<void> {
  const location = parseStorageUrl(context.db ?? userDatabasePath(), '--db');
  if (location.kind === 'sqlite' && !existsSync(location.path)) throw new StoreError('no database to upgrade here', { file: location.path });
  const result = location.kind === 'postgresql' ? PostgresMetaStore.upgrade(location.url) : upgradeStore(location.path);
  const path = result.path;
  if (context.json) {
    printJson(result);
    return;
  }
  const applied = result.applied.map((m) => `  ${m.version}: ${m.description}`).join('\n');
  process.stdout.write(
    result.applied.length === 0
      ? `${path}: schema version ${result.to}, up to date\n`
      : `${path}: upgraded schema version ${result.from} → ${result.to}\n${applied}\n`,
  );
}
