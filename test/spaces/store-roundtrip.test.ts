/**
 * Every combination of a space file's optional fields round-trips through the store: parsed,
 * stored (as a search does), read back and parsed again, it gives the same definition and the
 * same fingerprint. An absent `description` used to be stored as "", which the parser refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSearchSpace, parseSearchSpaceText, SearchSpace } from '../../src/spaces/index.ts';
import { SqliteMetaStore } from '../../src/store/index.ts';
import { decodeSettings, encodeSettings } from '../../src/search/settings.ts';
import { RandomSampler } from '../../src/search/samplers/random.ts';
import { NopPruner } from '../../src/search/pruners/none.ts';

type Json = { [key: string]: unknown };

/** The optional top-level fields, each present or absent. */
const TOP = ['$schema', 'description', 'task_types', 'conditions', 'forbiddens'] as const;
/** The optional hyperparameter fields: [hyperparameter index, field]. */
const HP: readonly [number, string][] = [
  [0, 'log'], [0, 'default_value'], [0, 'description'],
  [1, 'log'], [1, 'default_value'], [1, 'description'],
  [2, 'default_value'], [2, 'description'],
  [3, 'default_value'], [3, 'description'],
  [4, 'default_value'], [4, 'description'],
];

function document(top: number, hp: number): Json {
  const hyperparameters: Json[] = [
    { name: 'lr', type: 'uniform_float', lower: 0.001, upper: 1 },
    { name: 'units', type: 'uniform_int', lower: 2, upper: 64 },
    { name: 'opt', type: 'categorical', choices: ['sgd', 'adam'] },
    { name: 'depth', type: 'ordinal', sequence: [1, 2, 3] },
    { name: 'momentum', type: 'constant', value: 0.9 },
  ];
  const optional: Record<string, unknown>[] = [
    { log: true, default_value: 0.01, description: 'learning rate' },
    { log: true, default_value: 8, description: 'width' },
    { default_value: 'adam', description: 'optimizer' },
    { default_value: 2, description: 'layers' },
    { default_value: 0.9, description: 'fixed' },
  ];
  HP.forEach(([i, field], bit) => {
    if (hp & (1 << bit)) hyperparameters[i][field] = optional[i][field];
  });
  const doc: Json = { name: `combo-${top}-${hp}`, format_version: 1, hyperparameters };
  const values: Record<(typeof TOP)[number], unknown> = {
    $schema: '../search-spaces/schema.json',
    description: 'a space with optional fields',
    task_types: ['classification'],
    conditions: [{ child: 'momentum', type: 'equals', parent: 'opt', value: 'sgd' }],
    forbiddens: [{ type: 'and', clauses: [{ type: 'equals', name: 'opt', value: 'sgd' }, { type: 'equals', name: 'depth', value: 3 }] }],
  };
  TOP.forEach((field, bit) => {
    if (top & (1 << bit)) doc[field] = values[field];
  });
  return doc;
}

function roundTrip(store: SqliteMetaStore, space: SearchSpace): void {
  store.addSearchSpace({ name: space.name, version: space.fingerprint(), definition: space.toJSON() });
  const stored = store.getSearchSpace(space.name, space.fingerprint());
  assert.ok(stored !== undefined, space.name);
  const again = parseSearchSpace(stored.definition);
  assert.deepEqual(again.toJSON(), space.toJSON(), space.name);
  assert.equal(again.fingerprint(), space.fingerprint(), space.name);
  assert.equal(again.description, space.description, space.name);
}

test('every combination of optional top-level fields round-trips through the store and a study\'s settings', () => {
  const store = SqliteMetaStore.open(':memory:');
  try {
    for (let top = 0; top < 1 << TOP.length; top++) {
      for (const hp of [0, (1 << HP.length) - 1]) {
        const text = JSON.stringify(document(top, hp));
        const space = parseSearchSpaceText(text, 'my-space.json');
        roundTrip(store, space);
        const settings = decodeSettings('s', JSON.parse(JSON.stringify(encodeSettings(1, space, new RandomSampler(), new NopPruner()))));
        assert.equal(settings.space?.fingerprint(), space.fingerprint());
      }
    }
  } finally {
    store.close();
  }
});

test('every combination of optional hyperparameter fields round-trips through the store', () => {
  const store = SqliteMetaStore.open(':memory:');
  try {
    for (let hp = 0; hp < 1 << HP.length; hp++) roundTrip(store, parseSearchSpace(document(0, hp)));
  } finally {
    store.close();
  }
});

test('a space built in code with no description round-trips', () => {
  const space = new SearchSpace({ ...parseSearchSpace(document(0, 0)).definition, description: '' });
  assert.equal('description' in space.toJSON(), false);
  assert.equal(parseSearchSpace(space.toJSON()).fingerprint(), space.fingerprint());
});
