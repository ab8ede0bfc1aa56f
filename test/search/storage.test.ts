/** Every StudyStorage passes the contract: in memory, and over the SQLite meta-knowledge store (file, memory, layered); PostgreSQL: storage-postgres.test.ts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryStudyStorage } from '../../src/search/memory-storage.ts';
import { MetaStoreStudyStorage } from '../../src/search/metastore-storage.ts';
import { LayeredMetaStore } from '../../src/store/layered-store.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { runStudyStorageContract } from './storage-contract.ts';

runStudyStorageContract('in memory', () => ({ storage: new InMemoryStudyStorage(), dispose: () => {} }));

runStudyStorageContract('MetaStore (SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-study-storage-'));
  const store = SqliteMetaStore.open(join(dir, 'store.sqlite'));
  return { storage: new MetaStoreStudyStorage(store), dispose: () => { store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

runStudyStorageContract('MetaStore (SQLite in memory)', () => {
  const store = SqliteMetaStore.open(':memory:');
  return { storage: new MetaStoreStudyStorage(store), dispose: () => store.close() };
});

runStudyStorageContract('MetaStore (user store layered over a shipped one)', () => {
  const user = SqliteMetaStore.open(':memory:');
  const shipped = SqliteMetaStore.open(':memory:');
  return { storage: new MetaStoreStudyStorage(new LayeredMetaStore({ user, shipped })), dispose: () => (user.close(), shipped.close()) };
});
