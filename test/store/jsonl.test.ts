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
import { hashOf, makeConfig, makeEvaluation, makeSpace, makeTask } from './records.ts';

/** Fills a store with one or more records of every kind. */
function populate(store: MetaStore): void {
  const at = '2026-02-01T00:00:00.000Z';
  store.addSearchSpace(makeSpace({ createdAt: at }));
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
    assert.match(error.message, /^x\.jsonl, line \d+: this record contradicts the store: task 'wine' is stored as .*Nothing was imported/);
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

/** An export of {@link populate} as lines, and a function that rewrites the first line of a kind. */
function exportedLines(): { lines: string[]; edit: (kind: string, change: (record: Record<string, unknown>) => void, nth?: number) => number } {
  const store = SqliteMetaStore.open(':memory:');
  populate(store);
  const lines = [...exportLines(store)];
  store.close();
  const edit = (kind: string, change: (record: Record<string, unknown>) => void, nth = 0): number => {
    const index = lines.map((l, i) => [l, i] as const).filter(([l]) => l.includes(`"record":"${kind}"`))[nth][1];
    const record: Record<string, unknown> = JSON.parse(lines[index]);
    change(record);
    lines[index] = JSON.stringify(record);
    return index + 1;
  };
  return { lines, edit };
}

/** Asserts that importing `lines` into an empty store fails at `line` with `pattern`, and imports nothing. */
function assertRefused(lines: readonly string[], line: number, pattern: RegExp): void {
  const store = SqliteMetaStore.open(':memory:');
  try {
    assert.throws(() => importLines(store, lines, 'in.jsonl'), (error: unknown) => {
      assert.ok(error instanceof StoreError, String(error));
      assert.equal(error.location.file, 'in.jsonl');
      assert.equal(error.location.line, line, error.message);
      assert.match(error.message, pattern);
      return true;
    });
    assert.deepEqual([store.listTasks().length, store.listSearchSpaces().length, store.listEvaluations().length], [0, 0, 0]);
  } finally {
    store.close();
  }
}

test('scores are checked against their metric: finite, in range, the primary score one of the metrics', () => {
  const cases: [(e: Record<string, unknown>) => void, RegExp][] = [
    [(e) => { e.primaryScore = 1e308; e.metrics = {}; }, /primaryScore 1e\+308 is above 1/],
    [(e) => { e.metrics = { accuracy: 1.5 }; }, /metric 'accuracy' is 1\.5; expected a number in \[0, 1\]/],
    [(e) => { e.metrics = { rmse: -2 }; }, /metric 'rmse' is -2; expected a number ≥ 0/],
    [(e) => { e.metrics = { r2: 3, accuracy: 0.5 }; }, /metric 'r2' is 3; expected a number ≤ 1/],
    [(e) => { e.metrics = { balancedAccuracy: 0.5, logLoss: 0.7 }; e.primaryScore = 0.9; }, /primaryScore 0\.9 is none of its metrics \(balancedAccuracy 0\.5, logLoss 0\.7\)/],
    [(e) => { e.status = 'failed'; }, /a failed evaluation has primaryScore .*; expected null/],
    [(e) => { e.wallTimeMs = -5; }, /'wallTimeMs' is -5/],
  ];
  for (const [change, pattern] of cases) {
    const { lines, edit } = exportedLines();
    const line = edit('evaluation', change);
    assertRefused(lines, line, pattern);
  }
  const { lines, edit } = exportedLines();
  edit('evaluation', (e) => { e.metrics = { logLoss: 0.4 }; e.primaryScore = -0.4; });
  const store = SqliteMetaStore.open(':memory:');
  importLines(store, lines, 'in.jsonl');
  assert.equal(store.listEvaluations().length, 3, 'a negated loss is a valid primary score');
  store.close();
});

test('configuration hashes are recomputed and configurations checked against their space', () => {
  const cases: [string, (r: Record<string, unknown>) => void, RegExp][] = [
    ['configuration', (c) => { c.hash = '0123456789abcdef'; }, /configuration hash '0123456789abcdef' does not match its content \(configHash gives '[0-9a-f]{16}'\)/],
    ['evaluation', (e) => { e.configHash = 'ffffffffffffffff'; }, /does not match its content/],
    ['trial', (t) => { t.configHash = 'h0'; }, /trial 0: configuration hash 'h0' does not match/],
    ['space', (s) => { s.definition = { units: [16, 1024] }; }, /field 'definition' is not a valid search space/],
    ['space', (s) => { s.name = 'other'; }, /the space record is named 'other' but its definition is space 'mlp'/],
  ];
  for (const [kind, change, pattern] of cases) {
    const { lines, edit } = exportedLines();
    assertRefused(lines, edit(kind, change), pattern);
  }
  const outside = exportedLines();
  const config = { ...makeConfig(7), units: 5000 };
  const line = outside.edit('configuration', (c) => { c.config = config; c.hash = hashOf(config); });
  assertRefused(outside.lines, line, /configuration [0-9a-f]{16} is outside its search space: .*'units' is 5000/);
  const unknown = exportedLines();
  const spaceLine = unknown.lines.findIndex((l) => l.includes('"record":"space"'));
  unknown.lines.splice(spaceLine, 1);
  const firstConfiguration = unknown.lines.findIndex((l) => l.includes('"record":"configuration"'));
  assertRefused(unknown.lines, firstConfiguration + 1, /unknown search space 'mlp'/);
});

test('a record that contradicts the store aborts the whole import at its line; an equal one is skipped', () => withStores((_dir, open) => {
  const source = open('a.sqlite');
  populate(source);
  const lines = exportText(source).split('\n');
  const target = open('b.sqlite');
  importLines(target, lines, 'x.jsonl');
  const before = exportText(target);
  const changes: [string, (r: Record<string, unknown>) => void, RegExp][] = [
    ['evaluation', (e) => { e.primaryScore = 0.01; e.metrics = { accuracy: 0.01 }; }, /contradicts the store: the evaluation of configuration .* on task 'iris' .* is stored with status ok, primaryScore 0\.\d+/],
    ['task', (t) => { t.nRows = 9; }, /contradicts the store: task 'iris' is stored as/],
    ['metaFeatures', (f) => { f.values = { NumberOfInstances: 151, Odd: null }; }, /meta-features of task 'iris' .* are stored with other values/],
    ['trial', (t) => { t.value = 0.1; }, /trial 0 of study 'search-iris' is stored as complete with value 0\.75/],
    ['metaModel', (m) => { m.weights = 'AAAA'; }, /meta-model 'learned' version 1 is stored with other weights/],
  ];
  for (const [kind, change, pattern] of changes) {
    const edited = [...lines];
    const index = edited.findIndex((l) => l.includes(`"record":"${kind}"`));
    const record: Record<string, unknown> = JSON.parse(edited[index]);
    change(record);
    edited[index] = JSON.stringify(record);
    edited.push(JSON.stringify({ record: 'task', ...makeTask('late-newcomer', { createdAt: '2026-01-01T00:00:00.000Z' }) }));
    assert.throws(() => importLines(target, edited, 'x.jsonl'), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.location.line, index + 1, error.message);
      assert.match(error.message, pattern);
      return true;
    });
    assert.equal(exportText(target), before, `${kind}: nothing of the file is imported`);
  }
}));

test('a key repeated within the file with another value contradicts its first line; repeated equal, it is skipped', () => {
  const { lines } = exportedLines();
  const index = lines.findIndex((l) => l.includes('"record":"evaluation"'));
  const twin: Record<string, unknown> = JSON.parse(lines[index]);
  const same = [...lines.slice(0, index + 1), lines[index], ...lines.slice(index + 1)];
  const store = SqliteMetaStore.open(':memory:');
  assert.deepEqual(importLines(store, same, 'in.jsonl').evaluation, { inserted: 3, skipped: 1 });
  store.close();
  twin.primaryScore = 0.25;
  twin.metrics = { accuracy: 0.25 };
  const other = [...lines.slice(0, index + 1), JSON.stringify(twin), ...lines.slice(index + 1)];
  assertRefused(other, index + 2, new RegExp(`this evaluation record has the key of line ${index + 1} with another value`));
});

test('a byte-order mark and CRLF line ends are read; unknown fields, a truncated last line and 1e999 are refused at their line', () => withStores((dir, open) => {
  const { lines, edit } = exportedLines();
  const path = join(dir, 'windows.jsonl');
  writeFileSync(path, `\uFEFF${lines.join('\r\n')}\r\n`);
  const store = open('a.sqlite');
  assert.equal(importFile(store, path).evaluation.inserted, 3);
  const truncated = [...lines];
  truncated[truncated.length - 1] = truncated[truncated.length - 1].slice(0, 30);
  assertRefused(truncated, truncated.length, /not valid JSON/);
  const line = edit('task', (t) => { t.colour = 'blue'; });
  assertRefused(lines, line, /unknown field 'colour' in a task record/);
  const { lines: big } = exportedLines();
  const at = big.findIndex((l) => l.includes('"record":"evaluation"'));
  big[at] = big[at].replace(/"primaryScore":[^,]+/, '"primaryScore":1e999');
  assertRefused(big, at + 1, /field 'primaryScore': expected a finite number/);
  const { lines: curve } = exportedLines();
  curve[at] = curve[at].replace(/"curve":\[[^\]]*\]/, '"curve":[0.5,-1e999]');
  assertRefused(curve, at + 1, /field 'curve': expected an array of finite numbers/);
  const shape = exportedLines();
  assertRefused(shape.lines, shape.edit('task', (t) => { t.nClasses = 1; }), /classification task with nClasses 1; expected an integer ≥ 2/);
}));

test('an import file that cannot be an export is refused before it is read: a device, a directory', () => withStores((dir, open) => {
  const store = open('a.sqlite');
  assert.throws(() => importFile(store, '/dev/zero'), /\/dev\/zero: is not a regular file/);
  assert.throws(() => importFile(store, dir), /is a directory; expected a JSON Lines export/);
  assert.throws(() => importFile(store, join(dir, 'missing.jsonl')), /missing\.jsonl: cannot read the file/);
}));
