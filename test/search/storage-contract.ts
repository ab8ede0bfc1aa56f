/**
 * The {@link StudyStorage} contract (src/search/storage.ts) as tests; every implementation runs it:
 * `runStudyStorageContract('memory', () => ...)`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError } from '../../src/errors.ts';
import { TrialNotOwnedError } from '../../src/search/errors.ts';
import type { StudyStorage, TrialClaim, TrialOwner } from '../../src/search/storage.ts';

/** A fresh, empty storage and how to dispose of it. */
export interface StudyStorageFixture {
  readonly storage: StudyStorage;
  dispose(): void;
}

const study = { name: 's', direction: 'maximize' as const, space: 'mlp', task: null, settings: { seed: 1 } };
const entry = (i: number) => ({ configHash: `hash${i}`, config: { units: i }, origin: i % 2 === 0 ? 'enqueued' : 'warm-start:knn' });
const owner = (id: string): TrialOwner => ({ id, host: 'test-host', pid: id.length });
/** A claim by `id` at time `now` (ms) with a 1 s grace period; proposals are numbered after the study's trials. */
const claimBy = (id: string, now: number, budget?: number): TrialClaim => ({
  owner: owner(id), now, budget, staleAfterMs: 1000,
  propose: (trials) => entry(100 + trials.length),
});

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

    test('parameters at the end: finishTrial with a configuration (define-by-run) replaces it and its hash', withStorage((storage) => {
      storage.createStudy(study);
      storage.startTrial('s', { configHash: 'empty', config: {}, origin: 'sampler:tpe' });
      const done = storage.finishTrial('s', 0, { state: 'pruned', value: 0.4, config: { lr: 0.01, opt: 'adam', deep: true }, configHash: 'h-params' });
      assert.deepEqual([done.config, done.configHash, done.state], [{ deep: true, lr: 0.01, opt: 'adam' }, 'h-params', 'pruned']);
      assert.deepEqual(storage.listTrials('s')[0].config, { deep: true, lr: 0.01, opt: 'adam' });
      assert.equal(storage.listTrials('s')[0].configHash, 'h-params');
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

    test('claims: exact budget, the queue once, one trial per claim, proposals see every running trial', withStorage((storage) => {
      storage.createStudy(study);
      assert.equal(storage.enqueueTrial('s', entry(1), { skipIfKnown: true }), true);
      assert.equal(storage.enqueueTrial('s', entry(1), { skipIfKnown: true }), false, 'queued already');
      const seen: number[] = [];
      const claims = ['a', 'b', 'a', 'c', 'b'].map((id) => storage.claimTrial('s', { ...claimBy(id, 0, 4), propose: (trials) => (seen.push(trials.length), entry(100 + trials.length)) }));
      assert.deepEqual(claims.map((c) => c.trial?.number), [0, 1, 2, 3, undefined]);
      assert.deepEqual(claims.map((c) => (c.trial === undefined ? c.running : c.source)), ['queue', 'sampler', 'sampler', 'sampler', 3]);
      assert.deepEqual(seen, [1, 2, 3], 'each proposal saw the running trials of every worker');
      assert.deepEqual(storage.listWaiting('s'), []);
      assert.deepEqual(storage.listLeases('s').map((l) => [l.number, l.owner]), [[0, 'a'], [1, 'b'], [2, 'a'], [3, 'c']]);
      assert.equal(storage.enqueueTrial('s', entry(1), { skipIfKnown: true }), false, 'tried already');
    }));

    test('claims: a live worker keeps its trial; a stale or released one is re-claimed under its number', withStorage((storage) => {
      storage.createStudy(study);
      const first = storage.claimTrial('s', claimBy('dead', 0, 2));
      storage.claimTrial('s', claimBy('live', 0, 2));
      storage.reportIntermediate('s', 0, 1, 0.5, 'dead');
      assert.equal(storage.heartbeat('s', 'live', 900), 1);
      const early = storage.claimTrial('s', claimBy('new', 999, 2));
      assert.deepEqual([early.trial, early.trial === undefined ? early.running : -1], [undefined, 2], 'within the grace period');
      const late = storage.claimTrial('s', claimBy('new', 1000, 2));
      assert.deepEqual([late.trial?.number, late.trial?.configHash, late.trial === undefined ? '' : late.source], [0, first.trial?.configHash, 'stale']);
      assert.equal(storage.claimTrial('s', claimBy('new', 1000, 2)).trial, undefined, "the live worker's trial 1 (beat at 900) is kept");
      assert.throws(() => storage.finishTrial('s', 0, { state: 'complete', value: 1 }, 'dead'), TrialNotOwnedError);
      assert.throws(() => storage.reportIntermediate('s', 0, 2, 1, 'dead'), TrialNotOwnedError);
      assert.equal(storage.finishTrial('s', 0, { state: 'complete', value: 2 }, 'new').value, 2);
      assert.throws(() => storage.finishTrial('s', 0, { state: 'complete', value: 3 }, 'new'), StoreError, 'finished');
      storage.releaseTrial('s', 1, 'someone-else');
      assert.deepEqual(storage.listLeases('s').map((l) => l.owner), ['live'], 'only the owner releases');
      storage.releaseTrial('s', 1, 'live');
      const again = storage.claimTrial('s', claimBy('next', 1000, 2));
      assert.deepEqual([again.trial?.number, again.trial === undefined ? '' : again.source], [1, 'stale'], 'a released trial is claimed at once');
      assert.equal(storage.claimTrial('s', { ...claimBy('x', 10_000, 2), staleAfterMs: Infinity }).trial, undefined, 'Infinity never re-claims');
      assert.deepEqual(storage.listTrials('s').map((t) => t.number), [0, 1]);
    }));
  });
}
