/** The one storage-URL parser (src/store/storage-url.ts): SQLAlchemy's (and so Optuna's) SQLite URLs, file: URLs, paths, PostgreSQL. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { UsageError } from '../../src/errors.ts';
import { parseStorageUrl, storageOption } from '../../src/store/storage-url.ts';

test('SQLite URLs as SQLAlchemy reads them: three slashes then a relative path, four for an absolute one, none for memory', () => {
  assert.deepEqual(parseStorageUrl('sqlite:////tmp/x.sqlite'), { kind: 'sqlite', path: '/tmp/x.sqlite' });
  assert.deepEqual(parseStorageUrl('sqlite:///rel/x.sqlite'), { kind: 'sqlite', path: join(process.cwd(), 'rel/x.sqlite') });
  assert.deepEqual(parseStorageUrl('sqlite://'), { kind: 'sqlite', path: ':memory:' });
  assert.deepEqual(parseStorageUrl('sqlite:///:memory:'), { kind: 'sqlite', path: ':memory:' });
  assert.deepEqual(parseStorageUrl('file:///tmp/x.sqlite'), { kind: 'sqlite', path: '/tmp/x.sqlite' });
  assert.deepEqual(parseStorageUrl('runs/x.sqlite'), { kind: 'sqlite', path: 'runs/x.sqlite' });
  assert.deepEqual(parseStorageUrl(':memory:'), { kind: 'sqlite', path: ':memory:' });
});

test('PostgreSQL URLs (postgresql:// and postgres://) are kept as written; a database is required', () => {
  const url = 'postgresql://mt:p%40ss@db.example:5433/metatune?sslmode=require';
  assert.deepEqual(parseStorageUrl(url), { kind: 'postgresql', url });
  assert.equal(parseStorageUrl('postgres://localhost/x').kind, 'postgresql');
  assert.throws(() => parseStorageUrl('postgresql://localhost'), /no database: write postgresql:\/\/user@host:port\/database/);
  assert.throws(() => parseStorageUrl('postgresql://localhost/'), /no database/);
});

test('refused with the forms named: an SQLite URL with a host or no path, another scheme, nothing', () => {
  for (const [spec, message] of [
    ['sqlite://tmp/x.sqlite', /has no host: write sqlite:\/\/\/relative\/path or sqlite:\/\/\/\/absolute\/path/],
    ['sqlite:x.sqlite', /has no host/],
    ['sqlite:///', /no path/],
    ['mysql://u@h/db', /unsupported storage 'mysql': metatune stores in SQLite or PostgreSQL/],
    ['  ', /--storage needs a URL or a path \(postgresql:\/\/user@host:port\/database, sqlite:\/\/\/relative\/path/],
  ] as const) {
    assert.throws(() => parseStorageUrl(spec), (error: unknown) => error instanceof UsageError && message.test(error.message), spec);
  }
});

test('a printed command line names PostgreSQL by --storage without its password, SQLite by --db', () => {
  assert.deepEqual(storageOption(parseStorageUrl('postgresql://mt:secret@h:5432/db')), ['--storage', 'postgresql://mt:***@h:5432/db']);
  assert.deepEqual(storageOption(parseStorageUrl('sqlite:////tmp/a.sqlite')), ['--db', '/tmp/a.sqlite']);
});
