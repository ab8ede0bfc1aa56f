import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../src/errors.ts';
import { extractMetaFeatures, METAFEATURE_NAMES, parseGroups } from '../../src/metafeatures/index.ts';
import { classification, numeric } from './fixtures.ts';

const d = classification([numeric('x', [1, 2, 3, 4, 5, 6]), numeric('y', [2, 1, 4, 3, 6, 5])], ['a', 'a', 'a', 'b', 'b', 'b']);

test('groups select exactly their names, in group order, and timings only when asked', () => {
  const v = extractMetaFeatures(d, { groups: ['pca', 'general'] });
  assert.deepEqual(Object.keys(v.values), [...METAFEATURE_NAMES.general, ...METAFEATURE_NAMES.pca]);
  assert.equal(v.timings, undefined);
  const timed = extractMetaFeatures(d, { groups: ['general'], timings: true });
  assert.deepEqual(Object.keys(timed.timings ?? {}), ['general']);
});

test('parseGroups accepts the known groups and rejects others with a UsageError', () => {
  assert.deepEqual(parseGroups('general, info-theory,landmarking'), ['general', 'info-theory', 'landmarking']);
  assert.throws(() => parseGroups('general,pcaa'), (e: unknown) => e instanceof UsageError && /pcaa/.test(e.message));
});

test('a landmark cap or fold count below 2 is a usage error', () => {
  assert.throws(() => extractMetaFeatures(d, { landmarkCap: 1 }), UsageError);
  assert.throws(() => extractMetaFeatures(d, { folds: 1.5 }), UsageError);
});

test('different seeds may change landmarks but never the deterministic groups', () => {
  const a = extractMetaFeatures(d, { seed: 1, groups: ['general', 'statistical', 'info-theory', 'pca'] });
  const b = extractMetaFeatures(d, { seed: 2, groups: ['general', 'statistical', 'info-theory', 'pca'] });
  assert.deepEqual(a, b);
});
