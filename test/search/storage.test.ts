/** Every StudyStorage passes the contract: in memory, and over the SQLite meta-knowledge store. */
import { InMemoryStudyStorage } from '../../src/search/memory-storage.ts';
import { MetaStoreStudyStorage } from '../../src/search/metastore-storage.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { runStudyStorageContract } from './storage-contract.ts';

runStudyStorageContract('in memory', () => ({ storage: new InMemoryStudyStorage(), dispose: () => {} }));

runStudyStorageContract('MetaStore (SQLite in memory)', () => {
  const store = SqliteMetaStore.open(':memory:');
  return { storage: new MetaStoreStudyStorage(store), dispose: () => store.close() };
});
