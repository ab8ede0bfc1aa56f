/**
 * The {@link StudyStorage} contract (src/search/storage.ts) as tests; every implementation runs it:
 * `runStudyStorageContract('memory', () => ...)`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError } from '../../src/errors.ts';
import type { StudyStorage } from '../../src/search/storage.ts';

/** A fresh, empty storage and how to dispose of it. */
export interface StudyStorageFixture {
  readonly storage: StudyStorage;
  dispose(): void;
}

const study = { name: 's', direction: 'maximize' as const, space: 'mlp', task: null, settings: { seed: 1 } };
const entry = (i: number) => ({ configHash: `hash${i}`, config: { units: i }, origin: i % 2 === 0 ? 'enqueued' : 'warm-start:knn' });

/**
 * Registers the contract tests for one implementation.
 * @param name - the implementation's name in test titles
 * @param factory - makes a fresh, empty storage for each test
 */
export function runStudyStorageContract(name: string, factory: () => StudyStorageFixture): void {
  const withStorage = (fn: (storage: StudyStorage) => void) => () => {
    const fixture = factory();
    try {
      fn(fixture.storage);
    } finally {
      fixture.dispose();
    }
  };

  describe(`StudyStorage contract: ${name}`, () => {
    test('studies: created once, returned again, a different study of that name refused', withStorage((storage) => {
      const created = storage.createStudy(study);
      assert.deepEqual(storage.createStudy(study), created);
      assert.deepEqual(storage.getStudy('s')?.settings, { seed: 1 });
      assert.equal(storage.getStudy('nope'), undefined);
      assert.throws(() => storage.createStudy({ ...study, direction: 'minimize' }), StoreError);
      assert.throws(() => storage.startTrial('nope', entry(0)), StoreError);
    }));

    test('trials: numbered 0, 1, 2..., reports overwrite, only running trials change', withStorage((storage) => {
      storage.createStudy(study);
      const numbers = [0, 1, 2].map((i) => storage.startTrial('s', entry(i)).number);
      assert.deepEqual(numbers, [0, 1, 2]);
      storage.reportIntermediate('s', 1, 1, 0.5);
      storage.reportIntermediate('s', 1, 3, 0.7);
      storage.reportIntermediate('s', 1, 3, 0.8);
      const done = storage.finishTrial('s', 1, { state: 'complete', value: 0.9 });
      assert.deepEqual([done.state, done.value, done.intermediate], ['complete', 0.9, [null, 0.5, null, 0.8]]);
      assert.equal(done.origin, 'warm-start:knn');
      assert.throws(() => storage.reportIntermediate('s', 1, 4, 1), StoreError);
      assert.throws(() => storage.finishTrial('s', 1, { state: 'failed', value: null, error: 'x' }), StoreError);
      assert.throws(() => storage.finishTrial('s', 7, { state: 'failed', value: null, error: 'x' }), StoreError);
      const failed = storage.finishTrial('s', 2, { state: 'failed', value: null, error: 'diverged' });
      assert.equal(failed.error, 'diverged');
      assert.deepEqual(storage.listTrials('s').map((t) => t.state), ['running', 'complete', 'failed']);
      assert.equal(storage.startTrial('s', entry(9)).number, 3);
    }));

    test('queue: first in, first started, with its origin', withStorage((storage) => {
      storage.createStudy(study);
      assert.equal(storage.startWaitingTrial('s'), undefined);
      storage.enqueueTrial('s', entry(1));
      storage.enqueueTrial('s', entry(2));
      assert.deepEqual(storage.listWaiting('s').map((w) => w.configHash), ['hash1', 'hash2']);
      const first = storage.startWaitingTrial('s');
      assert.deepEqual([first?.number, first?.configHash, first?.origin, first?.state], [0, 'hash1', 'warm-start:knn', 'running']);
      assert.deepEqual(storage.listWaiting('s').map((w) => w.configHash), ['hash2']);
      assert.throws(() => storage.enqueueTrial('nope', entry(3)), StoreError);
    }));
  });
}
