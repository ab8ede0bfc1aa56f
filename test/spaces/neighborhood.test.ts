import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../src/random.ts';
import { loadSearchSpace, parseSearchSpace } from '../../src/spaces/index.ts';

const mlp = loadSearchSpace('mlp');

test('each neighbour changes exactly one hyperparameter that was active, and is valid', () => {
  const base = mlp.defaultConfiguration();
  const list = mlp.neighbors(base, new Random(1));
  assert.ok(list.length > 20, `only ${list.length} neighbours`);
  for (const n of list) {
    assert.deepEqual(mlp.validateConfiguration(n), n);
    const changed = Object.keys(base).filter((k) => n[k] !== base[k]);
    assert.equal(changed.length, 1, JSON.stringify(n));
  }
  const optimizers = list.filter((n) => n.optimizer !== base.optimizer).map((n) => n.optimizer);
  assert.deepEqual(optimizers.sort(), ['adamw', 'rmsprop', 'sgd', 'sgd-momentum']);
  const momentum = list.find((n) => n.optimizer === 'sgd-momentum');
  assert.equal(momentum?.momentum, 0.9, 'a newly active hyperparameter takes its default');
});

test('neighbours are reproducible under a seed and skip forbidden ones', () => {
  const base = mlp.defaultConfiguration();
  assert.deepEqual(mlp.neighbors(base, new Random(5)), mlp.neighbors(base, new Random(5)));
  const space = parseSearchSpace({
    name: 'n',
    format_version: 1,
    hyperparameters: [
      { name: 'c', type: 'categorical', choices: ['a', 'b', 'c'] },
      { name: 'o', type: 'ordinal', sequence: [1, 2, 3, 4], default_value: 2 },
    ],
    forbiddens: [{ type: 'equals', name: 'c', value: 'b' }],
  });
  assert.deepEqual(space.neighbors({ c: 'a', o: 2 }, new Random(1)), [{ c: 'c', o: 2 }, { c: 'a', o: 1 }, { c: 'a', o: 3 }]);
});
