import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSearchSpace, builtinSearchSpaceNames, parseSearchSpace } from '../../src/spaces/index.ts';
import { Random } from '../../src/random.ts';

test('mlp and linear are shipped and load by name', () => {
  assert.deepEqual(builtinSearchSpaceNames(), ['linear', 'mlp']);
  const mlp = loadSearchSpace('mlp');
  assert.deepEqual(
    mlp.hyperparameters.map((hp) => hp.name),
    ['n_layers', 'units', 'activation', 'dropout', 'l2', 'batch_norm', 'optimizer', 'learning_rate', 'momentum',
      'batch_size', 'lr_schedule', 'lr_decay', 'patience', 'max_epochs'],
  );
  assert.equal(mlp.fidelity?.name, 'max_epochs');
  const linear = loadSearchSpace('linear');
  assert.deepEqual(
    linear.hyperparameters.map((hp) => hp.name),
    ['alpha', 'l1_ratio', 'learning_rate', 'lr_schedule', 'lr_decay', 'batch_size', 'patience', 'max_epochs'],
  );
  assert.equal(linear.fidelity?.name, 'max_epochs');
});

test('mlp defaults are the documented ones, with conditional hyperparameters absent', () => {
  const mlp = loadSearchSpace('mlp');
  assert.deepEqual(mlp.defaultConfiguration(), {
    n_layers: 2, units: 64, activation: 'relu', dropout: 0, l2: 1e-5, batch_norm: false, optimizer: 'adam',
    learning_rate: 1e-3, batch_size: 64, lr_schedule: 'constant', patience: 10, max_epochs: 50,
  });
  assert.equal(mlp.isActive('momentum', { optimizer: 'sgd-momentum' }), true);
  assert.equal(mlp.isActive('momentum', { optimizer: 'adam' }), false);
  assert.equal(mlp.isActive('lr_decay', { lr_schedule: 'exponential' }), true);
});

test('samples of the shipped spaces validate', () => {
  for (const name of builtinSearchSpaceNames()) {
    const space = loadSearchSpace(name);
    for (const c of [...space.sampleRandom(new Random(3), 50), ...space.sampleSpaceFilling(50, 3)]) {
      assert.deepEqual(space.validateConfiguration(c), c);
    }
  }
});

test('toJSON writes a space that parses back to the same definition and fingerprint', () => {
  for (const name of builtinSearchSpaceNames()) {
    const space = loadSearchSpace(name);
    const again = parseSearchSpace(JSON.parse(JSON.stringify(space.toJSON())));
    const { source, ...definition } = space.definition;
    assert.ok(source?.endsWith(`${name}.json`));
    assert.deepEqual(again.definition, definition);
    assert.equal(again.fingerprint(), space.fingerprint());
    assert.match(space.fingerprint(), /^[0-9a-f]{16}$/);
  }
  assert.notEqual(loadSearchSpace('mlp').fingerprint(), loadSearchSpace('linear').fingerprint());
});
