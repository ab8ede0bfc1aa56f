import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../src/errors.ts';
import { LayeredMetaStore } from '../../src/store/layered-store.ts';
import { exportLines } from '../../src/store/jsonl-export.ts';
import { importLines } from '../../src/store/jsonl-import.ts';
import { openMetaStore } from '../../src/store/locations.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { runStoreContract } from './contract.ts';
import { hashOf, makeConfig, makeEvaluation, makeSpace, makeTask } from './records.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'metatune-layered-'));
}

/** Makes a shipped database holding task 'iris' with meta-features and two evaluations. */
function makeShipped(dir: string): string {
  const path = join(dir, 'shipped.sqlite');
  const store = SqliteMetaStore.open(path);
  store.addTask(makeTask('iris'));
  store.putMetaFeatures('iris', { extractorVersion: 1, values: { NumberOfInstances: 150 }, missing: {}, createdAt: '2026-01-01T00:00:00.000Z' });
  store.addEvaluations([makeEvaluation('iris', 0), makeEvaluation('iris', 1)]);
  store.close();
  return path;
}

runStoreContract('layered: user over an empty shipped store', () => {
  const dir = tempDir();
  SqliteMetaStore.open(join(dir, 'shipped.sqlite')).close();
  const shipped = SqliteMetaStore.open(join(dir, 'shipped.sqlite'), { readonly: true, role: 'shipped' });
  const user = SqliteMetaStore.open(join(dir, 'user.sqlite'), { role: 'user' });
  const store = new LayeredMetaStore({ user, shipped });
  return { store, dispose: () => { store.close(); rmSync(dir, { recursive: true, force: true }); } };
});

test('layered reads merge both stores; writes go to the user store, copying shipped tasks', () => {
  const dir = tempDir();
  try {
    const shippedPath = makeShipped(dir);
    const before = readFileSync(shippedPath);
    const store = openMetaStore({ write: true, env: { METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: shippedPath } });
    try {
      assert.deepEqual(store.describe().map((l) => l.role), ['user', 'shipped']);
      const count = store.addEvaluations([makeEvaluation('iris', 1), makeEvaluation('iris', 2)]);
      assert.deepEqual(count, { inserted: 1, skipped: 1 });
      assert.equal(store.listEvaluations({ task: 'iris' }).length, 3);
      assert.throws(() => store.addEvaluations([{ ...makeEvaluation('iris', 0), config: makeConfig(9), seed: 5 }]), StoreError);
      store.addTask(makeTask('wine'));
      assert.deepEqual(store.listTasks().map((t) => t.name), ['iris', 'wine']);
      assert.throws(() => store.addTask(makeTask('iris', { contentHash: 'b'.repeat(64) })), StoreError);
    } finally {
      store.close();
    }
    assert.deepEqual(readFileSync(shippedPath), before);
    const user = SqliteMetaStore.open(join(dir, 'home', 'metatune.sqlite'));
    try {
      assert.equal(user.getMetaFeatures('iris')?.values.NumberOfInstances, 150);
      assert.equal(user.listEvaluations().length, 1);
    } finally {
      user.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reads on a fresh install need no database; --db for reading must exist', () => {
  const dir = tempDir();
  try {
    const env = { METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: join(dir, 'absent.sqlite') };
    const store = openMetaStore({ env });
    try {
      assert.deepEqual(store.listTasks(), []);
      assert.throws(() => store.addTask(makeTask('iris')), /no user database/);
    } finally {
      store.close();
    }
    assert.equal(existsSync(join(dir, 'home')), false);
    assert.throws(() => openMetaStore({ db: join(dir, 'missing.sqlite') }), /no database at this path/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exporting the merged view and importing it back into the layered store adds nothing', () => {
  const dir = tempDir();
  try {
    const shippedPath = join(dir, 'shipped.sqlite');
    const seed = SqliteMetaStore.open(shippedPath);
    seed.addSearchSpace(makeSpace());
    seed.addTask(makeTask('iris'));
    seed.putMetaFeatures('iris', { extractorVersion: 1, values: { NumberOfInstances: 150 }, missing: {} });
    seed.addEvaluations([makeEvaluation('iris', 0)]);
    seed.createStudy({ name: 'shipped-search', direction: 'maximize', space: 'mlp', task: 'iris', settings: {} });
    seed.startTrial('shipped-search', { configHash: hashOf(makeConfig(0)), config: makeConfig(0), origin: 'sampler:random' });
    seed.addMetaModel({ name: 'knn', version: '1', weights: new Uint8Array([1]), report: null });
    seed.addProvenance({ kind: 'build', command: 'metatune db build', seed: 1, metatuneVersion: '0.1.0', backend: 'wasm', details: {} });
    seed.close();
    const store = openMetaStore({ write: true, env: { METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: shippedPath } });
    try {
      store.addTask(makeTask('wine'));
      store.addEvaluations([makeEvaluation('wine', 1)]);
      const lines = [...exportLines(store)];
      const result = importLines(store, lines, 'merged.jsonl');
      for (const [kind, count] of Object.entries(result)) assert.equal(count.inserted, 0, kind);
      assert.deepEqual([...exportLines(store)], lines);
      assert.throws(() => store.createStudy({ name: 'shipped-search', direction: 'minimize', space: 'mlp', task: 'iris', settings: {} }), StoreError);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
