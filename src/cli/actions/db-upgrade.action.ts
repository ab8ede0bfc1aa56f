/** `metatune db upgrade`: apply pending schema migrations to the user database or --db. */
import { existsSync } from 'node:fs';
import { StoreError } from '../../errors.ts';
import { userDatabasePath } from '../../store/locations.ts';
import { upgradeStore } from '../../store/schema.ts';
import { printJson } from '../format.ts';
import type { DbContext } from './db.action.ts';

/**
 * Upgrades the database and reports the versions.
 * @throws StoreError when the database does not exist or is newer than this metatune
 */
export async function runDbUpgrade(context: DbContext): Promise<void> {
  const path = context.db ?? userDatabasePath();
  if (!existsSync(path)) throw new StoreError('no database to upgrade here', { file: path });
  const result = upgradeStore(path);
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
