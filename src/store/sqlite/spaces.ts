/** Search space definitions in SQLite. */
import type { SqlConnection } from '../sql-connection.ts';
import { StoreError } from '../../errors.ts';
import { canonicalJson, nowIso, parseStoredJson } from '../canonical.ts';
import type { SearchSpaceInput, SearchSpaceRecord } from '../records.ts';
import { requireName } from '../validate.ts';

interface SpaceRow {
  name: string;
  version: string;
  definition: string;
  created_at: string;
}

const toSpace = (row: SpaceRow): SearchSpaceRecord => ({
  name: row.name,
  version: row.version,
  definition: parseStoredJson(row.definition),
  createdAt: row.created_at,
});

/** @returns that version of the space, or its most recently stored one */
export function getSearchSpace(db: SqlConnection, name: string, version?: string): SearchSpaceRecord | undefined {
  const row = db
    .prepare<[string, string | null, string | null], SpaceRow>(
      `SELECT name, version, definition, created_at FROM search_spaces
       WHERE name = ? AND (? IS NULL OR version = ?) ORDER BY created_at DESC, version DESC LIMIT 1`,
    )
    .get(name, version ?? null, version ?? null);
  return row === undefined ? undefined : toSpace(row);
}

/** @returns every space version sorted by name then version */
export function listSearchSpaces(db: SqlConnection): SearchSpaceRecord[] {
  return db
    .prepare<[], SpaceRow>('SELECT name, version, definition, created_at FROM search_spaces ORDER BY name, version')
    .all()
    .map(toSpace);
}

/**
 * Stores a space definition (call inside a write transaction).
 * @throws StoreError when that name and version hold another definition
 */
export function addSearchSpace(db: SqlConnection, space: SearchSpaceInput): SearchSpaceRecord {
  requireName(space.name, 'search space name');
  const version = String(space.version);
  requireName(version, `search space '${space.name}': version`);
  const definition = canonicalJson(space.definition);
  const existing = db
    .prepare<[string, string], SpaceRow>('SELECT name, version, definition, created_at FROM search_spaces WHERE name = ? AND version = ?')
    .get(space.name, version);
  if (existing !== undefined) {
    if (existing.definition !== definition) {
      throw new StoreError(`search space '${space.name}' version ${version} is stored with another definition; bump its version`);
    }
    return toSpace(existing);
  }
  const createdAt = space.createdAt ?? nowIso();
  db.prepare('INSERT INTO search_spaces (name, version, definition, created_at) VALUES (?, ?, ?, ?)').run(
    space.name, version, definition, createdAt,
  );
  return { name: space.name, version, definition: parseStoredJson(definition), createdAt };
}
