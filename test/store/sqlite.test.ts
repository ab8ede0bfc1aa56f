import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { runStoreContract } from './contract.ts';

runStoreContract('sqlite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-store-'));
  const store = SqliteMetaStore.open(join(dir, 'store.sqlite'));
  return { store, dispose: () => { store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

runStoreContract('sqlite in memory', () => {
  const store = SqliteMetaStore.open(':memory:');
  return { store, dispose: () => store.close() };
});
