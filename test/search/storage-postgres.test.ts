/**
 * The StudyStorage contract on PostgreSQL, against a throw-away server (test/store/postgres-server.ts):
 * the meta-knowledge store's study storage on PostgreSQL alone and layered under a shipped SQLite database.
 */
import { after, before, test } from 'node:test';
import { MetaStoreStudyStorage } from '../../src/search/metastore-storage.ts';
import { LayeredMetaStore } from '../../src/store/layered-store.ts';
import { PostgresMetaStore } from '../../src/store/postgres-store.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { postgresMissing, startPostgres, type PostgresServer } from '../store/postgres-server.ts';
import { runStudyStorageContract } from './storage-contract.ts';

const missing = postgresMissing();
let server: PostgresServer | undefined;

function url(prefix: string): string {
  if (server === undefined) throw new Error('the PostgreSQL server did not start');
  return server.createDatabase(prefix);
}

if (missing !== false) {
  test('StudyStorage on PostgreSQL', (t) => t.skip(missing));
} else {
  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.stop());

  runStudyStorageContract('MetaStore (PostgreSQL)', () => {
    const store = PostgresMetaStore.open(url('storage'));
    return { storage: new MetaStoreStudyStorage(store), dispose: () => store.close() };
  });

  runStudyStorageContract('MetaStore (PostgreSQL user store layered over a shipped SQLite one)', () => {
    const user = PostgresMetaStore.open(url('layered'), { role: 'user' });
    const shipped = SqliteMetaStore.open(':memory:');
    return { storage: new MetaStoreStudyStorage(new LayeredMetaStore({ user, shipped })), dispose: () => (user.close(), shipped.close()) };
  });
}
