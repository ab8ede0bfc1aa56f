import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from '../../src/errors.ts';
import { exportLines } from '../../src/store/jsonl-export.ts';
import { importFile, importLines } from '../../src/store/jsonl-import.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import type { MetaStore } from '../../src/store/types.ts';
import { hashOf, makeConfig, makeEvaluation, makeTask } from './records.ts';

/** Fills a store with one or more records of every kind. */
function populate(store: MetaStore): void {
  const at = '2026-02-01T00:00:00.000Z';
  store.addSearchSpace({ name: 'mlp', version: 1, definition: { hyperparameters: [{ name: 'units', lower: 16 }] }, createdAt: at });
  store.addTask(makeTask('wine', { createdAt: at }));
  store.addTask(makeTask('iris', { createdAt: at }));
  store.putMetaFeatures('iris', { extractorVersion: 1, values: { NumberOfInstances: 150, Odd: null }, missing: { Odd: 'undefined' }, createdAt: at });
  store.addConfigurations([{ space: 'mlp', hash: hashOf(makeConfig(7)), config: makeConfig(7), origin: 'default' }]);
  store.addEvaluations([
    makeEvaluation('iris', 0), makeEvaluation('iris', 1),
    makeEvaluation('wine', 0, { status: 'failed', error: 'loss diverged', primaryScore: null, curve: [0.3, Number.NaN] }),
  ]);
  store.createStudy({ name: 'search-iris', direction: 'maximize', space: 'mlp', task: 'iris', settings: { sampler: 'tpe' }, createdAt: at });
  store.startTrial('search-iris', { configHash: hashOf(makeConfig(0)), config: makeConfig(0), origin: 'warm-start:knn', startedAt: at });
  store.reportIntermediate('search-iris', 0, 0, 0.5);
  store.reportIntermediate('search-iris', 0, 2, 0.75);
  store.finishTrial('search-iris', 0, { state: 'complete', value: 0.75, finishedAt: at });
  store.startTrial('search-iris', { configHash: hashOf(makeConfig(1)), config: makeConfig(1), origin: 'sampler:tpe', startedAt: at });
  store.addMetaModel({ name: 'learned', version: '1', weights: new Uint8Array([0, 128, 255, 7]), report: { regret: [0.1, 0.05] }, createdAt: at });
  store.addProvenance({ kind: 'build', command: 'metatune db build --seed 1', seed: 1, metatuneVersion: '0.1.0', backend: 'wasm', details: { configs: 2 }, createdAt: at });
}

function exportText(store: MetaStore): string {
  return [...exportLines(store)].join('\n') + '\n';
}

function withStores(fn: (dir: string, open: (name: string) => SqliteMetaStore) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-jsonl-'));
  const opened: SqliteMetaStore[] = [];
  try {
    fn(dir, (name) => {
      const store = SqliteMetaStore.open(join(dir, name));
      opened.push(store);
      return store;
    });
  } finally {
    for (const s of opened) s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('export → import into an empty store → export is byte-identical', () => withStores((dir, open) => {
  const source = open('a.sqlite');
  populate(source);
  const first = exportText(source);
  const lines = first.trimEnd().split('\n');
  assert.equal(lines[0], '{"format":"metatune-store","formatVersion":1}');
  assert.equal(lines.length, 1 + 1 + 2 + 1 + 3 + 3 + 1 + 2 + 1 + 1);
  writeFileSync(join(dir, 'export.jsonl'), first);
  const target = open('b.sqlite');
  const result = importFile(target, join(dir, 'export.jsonl'));
  assert.deepEqual(result.evaluation, { inserted: 3, skipped: 0 });
  assert.equal(exportText(target), first);
}));

test('importing twice adds nothing; importing merges with what is stored', () => withStores((dir, open) => {
  const source = open('a.sqlite');
  populate(source);
  const text = exportText(source);
  const target = open('b.sqlite');
  target.addTask(makeTask('cars', { createdAt: '2026-03-01T00:00:00.000Z' }));
  target.addEvaluations([makeEvaluation('cars', 3)]);
  importLines(target, text.split('\n'), 'export.jsonl');
  const once = exportText(target);
  const again = importLines(target, text.split('\n'), 'export.jsonl');
  for (const count of Object.values(again)) assert.equal(count.inserted, 0);
  assert.equal(again.evaluation.skipped, 3);
  assert.equal(exportText(target), once);
  assert.deepEqual(target.listTasks().map((t) => t.name), ['cars', 'iris', 'wine']);
  assert.equal(target.listEvaluations().length, 4);
}));

test('a conflicting record aborts the whole import at its line', () => withStores((_dir, open) => {
  const source = open('a.sqlite');
  populate(source);
  const lines = exportText(source).split('\n');
  const target = open('b.sqlite');
  target.addTask(makeTask('wine', { contentHash: 'c'.repeat(64) }));
  const before = exportText(target);
  const wineLine = lines.findIndex((l) => l.includes('"record":"task"') && l.includes('"name":"wine"')) + 1;
  assert.throws(() => importLines(target, lines, 'x.jsonl'), (error: unknown) => {
    assert.ok(error instanceof StoreError);
    assert.equal(error.location.line, wineLine);
    assert.match(error.message, /^x\.jsonl, line \d+: task 'wine' is already registered/);
    return true;
  });
  assert.equal(exportText(target), before);
}));

test('bad files are refused with their line and field', () => withStores((_dir, open) => {
  const store = open('a.sqlite');
  const header = '{"format":"metatune-store","formatVersion":1}';
  assert.throws(() => importLines(store, ['{"format":"metatune-store","formatVersion":2}'], 'f'), /f, line 1: format version 2 was written by a newer metatune/);
  assert.throws(() => importLines(store, ['{"format":"other","formatVersion":1}'], 'f'), /line 1, column 'format'/);
  assert.throws(() => importLines(store, [header, '{"record":"task"'], 'f'), /f, line 2: not valid JSON/);
  assert.throws(() => importLines(store, [header, '{"record":"gadget"}'], 'f'), /line 2, column 'record'/);
  assert.throws(() => importLines(store, [header, '', '{"record":"task","name":"x"}'], 'f'), /line 3, column 'source'/);
  assert.deepEqual(store.listTasks(), []);
}));
