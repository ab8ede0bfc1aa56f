/**
 * The storage contract of {@link MetaStore} (src/store/types.ts) as tests. Every backend runs it:
 * `runStoreContract('sqlite file', () => ...)`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError } from '../../src/errors.ts';
import type { MetaStore, StudyInput } from '../../src/store/types.ts';
import { hashOf, makeConfig, makeEvaluation, makeTask } from './records.ts';

/** A fresh, empty store and how to dispose of it. */
export interface StoreFixture {
  readonly store: MetaStore;
  dispose(): void;
}

/**
 * Registers the contract tests for one backend.
 * @param name - the backend's name in test titles
 * @param factory - makes a fresh, empty store for each test
 */
export function runStoreContract(name: string, factory: () => StoreFixture): void {
  const withStore = (fn: (store: MetaStore) => void) => () => {
    const fixture = factory();
    try {
      fn(fixture.store);
    } finally {
      fixture.dispose();
    }
  };

  describe(`MetaStore contract: ${name}`, () => {
    test('tasks: registered once, sorted, conflicting content refused', withStore((store) => {
      const b = store.addTask(makeTask('b', { createdAt: '2026-01-01T00:00:00.000Z' }));
      store.addTask(makeTask('a', { taskType: 'regression', nClasses: null }));
      assert.equal(b.createdAt, '2026-01-01T00:00:00.000Z');
      assert.deepEqual(store.addTask(makeTask('b')), b);
      assert.deepEqual(store.listTasks().map((t) => t.name), ['a', 'b']);
      assert.equal(store.getTask('a')?.taskType, 'regression');
      assert.equal(store.getTask('zzz'), undefined);
      assert.throws(() => store.addTask(makeTask('b', { contentHash: 'f'.repeat(64) })), StoreError);
      assert.throws(() => store.addTask(makeTask('c', { nRows: -1 })), StoreError);
      assert.equal(store.listTasks().length, 2);
    }));

    test('meta-features: latest version by default, replaced per version, non-finite as null', withStore((store) => {
      store.addTask(makeTask('iris'));
      store.putMetaFeatures('iris', { extractorVersion: 1, values: { A: 1, B: null }, missing: { B: 'constant' }, createdAt: '2026-01-01T00:00:00.000Z' });
      store.putMetaFeatures('iris', { extractorVersion: '2', values: { A: 2, C: Number.NaN }, missing: {}, createdAt: '2026-01-02T00:00:00.000Z' });
      assert.deepEqual(store.getMetaFeatures('iris'), {
        task: 'iris', extractorVersion: '2', values: { A: 2, C: null }, missing: {}, createdAt: '2026-01-02T00:00:00.000Z',
      });
      assert.deepEqual(store.getMetaFeatures('iris', '1')?.missing, { B: 'constant' });
      store.putMetaFeatures('iris', { extractorVersion: 1, values: { A: 3 }, missing: {}, createdAt: '2026-01-03T00:00:00.000Z' });
      assert.deepEqual(store.getMetaFeatures('iris')?.values, { A: 3 });
      assert.deepEqual(store.listMetaFeatures().map((m) => m.extractorVersion), ['1', '2']);
      assert.throws(() => store.putMetaFeatures('nope', { extractorVersion: 1, values: {}, missing: {} }), StoreError);
    }));

    test('search spaces: idempotent, another definition under one version refused', withStore((store) => {
      const def = { name: 'mlp', hyperparameters: [{ name: 'units', type: 'uniform_int', lower: 16, upper: 1024 }] };
      store.addSearchSpace({ name: 'mlp', version: 1, definition: def, createdAt: '2026-01-01T00:00:00.000Z' });
      store.addSearchSpace({ name: 'mlp', version: 1, definition: def });
      store.addSearchSpace({ name: 'mlp', version: 2, definition: { ...def, extra: true }, createdAt: '2026-01-02T00:00:00.000Z' });
      assert.throws(() => store.addSearchSpace({ name: 'mlp', version: 1, definition: { other: 1 } }), StoreError);
      assert.equal(store.getSearchSpace('mlp')?.version, '2');
      assert.deepEqual(store.getSearchSpace('mlp', '1')?.definition, def);
      assert.equal(store.listSearchSpaces().length, 2);
    }));

    test('configurations: canonical, counted, a reused hash refused', withStore((store) => {
      const config = makeConfig(1);
      const count = store.addConfigurations([
        { space: 'mlp', hash: hashOf(config), config, origin: 'default' },
        { space: 'mlp', hash: hashOf(config), config },
      ]);
      assert.deepEqual(count, { inserted: 1, skipped: 1 });
      const [stored] = store.listConfigurations('mlp');
      assert.equal(stored.canonicalJson, '{"batch_norm":false,"learning_rate":0.002,"optimizer":"sgd","units":17}');
      assert.equal(stored.origin, 'default');
      assert.throws(() => store.addConfigurations([{ space: 'mlp', hash: hashOf(config), config: makeConfig(2) }]), StoreError);
      assert.deepEqual(store.listConfigurations('linear'), []);
    }));

    test('evaluations: read back exactly, reruns skipped, queries filter', withStore((store) => {
      store.addTask(makeTask('iris'));
      store.addTask(makeTask('wine'));
      const rows = [0, 1, 2].map((i) => makeEvaluation('iris', i)).concat([makeEvaluation('wine', 0, { status: 'failed', error: 'diverged', primaryScore: null })]);
      assert.deepEqual(store.addEvaluations(rows), { inserted: 4, skipped: 0 });
      assert.deepEqual(store.addEvaluations(rows), { inserted: 0, skipped: 4 });
      const iris = store.listEvaluations({ task: 'iris' });
      const expected = rows.slice(0, 3).sort((a, b) => (a.configHash < b.configHash ? -1 : 1));
      assert.deepEqual(iris, expected);
      assert.equal(store.listEvaluations({ status: 'failed' })[0].error, 'diverged');
      assert.equal(store.listEvaluations({ configHash: rows[1].configHash }).length, 1);
      assert.deepEqual(store.listEvaluationScores({ task: 'wine' }).map((k) => k.status), ['failed']);
      assert.equal(store.listConfigurations().length, 3);
    }));

    test('evaluations: another seed or fidelity is another evaluation; non-finite numbers read as null, curves to 7 digits', withStore((store) => {
      store.addTask(makeTask('iris'));
      const base = makeEvaluation('iris', 0);
      const count = store.addEvaluations([
        { ...base, primaryScore: 1 / 3, curve: [1 / 3, 2 / 3] }, { ...base, seed: 1 },
        { ...base, fidelity: 5, primaryScore: Number.NaN, metrics: { log_loss: Infinity }, curve: [Number.NaN, 0.5] },
      ]);
      assert.deepEqual(count, { inserted: 3, skipped: 0 });
      const low = store.listEvaluations().find((e) => e.fidelity === 5);
      assert.equal(low?.primaryScore, null);
      assert.deepEqual(low?.metrics, { log_loss: null });
      assert.deepEqual(low?.curve, [null, 0.5]);
      const exact = store.listEvaluations().find((e) => e.fidelity === base.fidelity && e.seed === 0);
      assert.equal(exact?.primaryScore, 1 / 3);
      assert.deepEqual(exact?.curve, [0.3333333, 0.6666667]);
    }));

    test('a multi-row write that throws midway leaves nothing behind', withStore((store) => {
      store.addTask(makeTask('iris'));
      const good = [0, 1, 2].map((i) => makeEvaluation('iris', i));
      assert.throws(() => store.addEvaluations([...good, makeEvaluation('unknown-task', 3)]), /unknown task 'unknown-task'/);
      const clash = { ...makeEvaluation('iris', 4), config: makeConfig(5) };
      assert.throws(() => store.addEvaluations([makeEvaluation('iris', 6), makeEvaluation('iris', 4), clash]), StoreError);
      assert.deepEqual(store.listEvaluations(), []);
      assert.deepEqual(store.listConfigurations(), []);
    }));

    test('batch: all writes commit together or none', withStore((store) => {
      assert.throws(() => store.batch(() => {
        store.addTask(makeTask('iris'));
        store.addEvaluations([makeEvaluation('iris', 0)]);
        throw new Error('interrupted');
      }), /interrupted/);
      assert.deepEqual(store.listTasks(), []);
      const n = store.batch(() => {
        store.addTask(makeTask('iris'));
        return store.addEvaluations([makeEvaluation('iris', 0)]).inserted;
      });
      assert.equal(n, 1);
      assert.equal(store.listEvaluations().length, 1);
    }));

    test('studies and trials: resume by name, numbered trials, intermediate values, ended once', withStore((store) => {
      store.addTask(makeTask('iris'));
      const study: StudyInput = { name: 's1', direction: 'maximize', space: 'mlp', task: 'iris', settings: { sampler: 'tpe', seed: 1 } };
      const created = store.createStudy(study);
      assert.deepEqual(store.createStudy(study), created);
      assert.throws(() => store.createStudy({ ...study, direction: 'minimize' }), StoreError);
      assert.throws(() => store.createStudy({ ...study, name: 's2', task: 'nope' }), StoreError);
      const t0 = store.startTrial('s1', { configHash: hashOf(makeConfig(0)), config: makeConfig(0), origin: 'warm-start:knn' });
      const t1 = store.startTrial('s1', { configHash: hashOf(makeConfig(1)), config: makeConfig(1), origin: 'sampler:tpe' });
      assert.deepEqual([t0.number, t1.number, t0.state], [0, 1, 'running']);
      store.reportIntermediate('s1', 0, 0, 0.5);
      store.reportIntermediate('s1', 0, 2, 0.7);
      const done = store.finishTrial('s1', 0, { state: 'complete', value: 0.7 });
      assert.deepEqual(done.intermediate, [0.5, null, 0.7]);
      assert.equal(done.origin, 'warm-start:knn');
      assert.throws(() => store.finishTrial('s1', 0, { state: 'failed', value: null }), /not running/);
      assert.throws(() => store.reportIntermediate('s1', 0, 3, 0.8), StoreError);
      store.finishTrial('s1', 1, { state: 'pruned', value: 0.1 });
      assert.deepEqual(store.listTrials('s1').map((t) => t.state), ['complete', 'pruned']);
      assert.deepEqual(store.addTrials(store.listTrials('s1')), { inserted: 0, skipped: 2 });
      assert.throws(() => store.startTrial('nope', { configHash: 'x', config: {}, origin: 'o' }), StoreError);
    }));

    test('meta-models: stored once per version, weights exact, latest by default', withStore((store) => {
      const weights = new Uint8Array([0, 1, 2, 255]);
      assert.equal(store.addMetaModel({ name: 'knn', version: '1', weights, report: { regret: 0.1 }, createdAt: '2026-01-01T00:00:00.000Z' }), true);
      assert.equal(store.addMetaModel({ name: 'knn', version: '1', weights: new Uint8Array([9]), report: null }), false);
      store.addMetaModel({ name: 'knn', version: '2', weights: new Uint8Array([7]), report: null, createdAt: '2026-01-02T00:00:00.000Z' });
      assert.deepEqual(store.getMetaModel('knn', '1')?.weights, weights);
      assert.equal(store.getMetaModel('knn')?.version, '2');
      assert.deepEqual(store.listMetaModels().map((m) => [m.version, m.sizeBytes]), [['1', 4], ['2', 1]]);
    }));

    test('provenance: identical entries merge', withStore((store) => {
      const entry = { kind: 'build', command: 'metatune db build --seed 1', seed: 1, metatuneVersion: '0.1.0', backend: 'wasm', details: { configs: 200 }, createdAt: '2026-01-01T00:00:00.000Z' };
      const a = store.addProvenance(entry);
      const b = store.addProvenance(entry);
      assert.equal(a.id, b.id);
      assert.deepEqual(store.listProvenance(), [a]);
    }));
  });
}
