import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILTIN_SPACES_DIR, builtinSearchSpaceNames, parseSearchSpace } from '../../src/spaces/index.ts';
import { validateAgainstSchema } from './json-schema-subset.ts';

function readJson(name: string): Record<string, unknown> {
  const value: unknown = JSON.parse(readFileSync(join(BUILTIN_SPACES_DIR, name), 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${name} is not an object`);
  return Object.fromEntries(Object.entries(value));
}

const schema = readJson('schema.json');

test('the schema is draft 2020-12 and every shipped space points at it and validates', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  for (const name of builtinSearchSpaceNames()) {
    const space = readJson(`${name}.json`);
    assert.equal(space.$schema, './schema.json');
    assert.equal(space.name, name, 'a shipped space is named after its file');
    assert.deepEqual(validateAgainstSchema(space, schema), []);
  }
});

test('the schema rejects what the loader rejects structurally', () => {
  const mlp = readJson('mlp.json');
  const hps = Array.isArray(mlp.hyperparameters) ? mlp.hyperparameters : [];
  const bad: Record<string, unknown>[] = [
    { ...mlp, format_version: 2 },
    { ...mlp, hyperparameters: [] },
    { ...mlp, extra: 1 },
    { ...mlp, hyperparameters: [{ name: 'x', type: 'loguniform', lower: 1, upper: 2 }] },
    { ...mlp, hyperparameters: [{ name: 'x', type: 'uniform_int', lower: 1.5, upper: 2 }] },
    { ...mlp, hyperparameters: [{ name: 'x', type: 'categorical', choices: ['a', 'a'] }] },
    { ...mlp, conditions: [{ type: 'equals', parent: 'optimizer', value: 'sgd' }] },
    { ...mlp, conditions: [{ child: 'momentum', type: 'and', conditions: [{ child: 'x', type: 'equals', parent: 'a', value: 1 }, { type: 'equals', parent: 'b', value: 1 }] }] },
    { ...mlp, forbiddens: [{ type: 'not_equals', name: 'optimizer', value: 'sgd' }] },
    { ...mlp, hyperparameters: [{ name: '1x', type: 'constant', value: 1 }] },
  ];
  for (const doc of bad) assert.notDeepEqual(validateAgainstSchema(doc, schema), [], JSON.stringify(doc).slice(0, 200));
  assert.ok(hps.length > 0);
});

test('a space using every construct validates against both the schema and the loader', () => {
  const doc = {
    name: 'all',
    format_version: 1,
    task_types: ['classification'],
    hyperparameters: [
      { name: 'f', type: 'uniform_float', lower: 1e-3, upper: 1, log: true, default_value: 0.01 },
      { name: 'i', type: 'uniform_int', lower: 1, upper: 10, fidelity: true },
      { name: 'c', type: 'categorical', choices: ['a', 'b', true], default_value: 'a' },
      { name: 'o', type: 'ordinal', sequence: [1, 2, 4] },
      { name: 'k', type: 'constant', value: 'fixed' },
    ],
    conditions: [
      { child: 'o', type: 'or', conditions: [{ type: 'not_equals', parent: 'c', value: 'a' }, { type: 'greater_than', parent: 'f', value: 0.1 }] },
    ],
    forbiddens: [{ type: 'and', clauses: [{ type: 'equals', name: 'c', value: true }, { type: 'in', name: 'o', values: [4] }] }],
  };
  assert.deepEqual(validateAgainstSchema(doc, schema), []);
  assert.equal(parseSearchSpace(doc).hyperparameters.length, 5);
});
