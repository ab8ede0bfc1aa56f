import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchSpaceError } from '../../src/errors.ts';
import { Random } from '../../src/random.ts';
import { builtinSearchSpaceNames, canonicalJson, loadSearchSpace, parseSearchSpace } from '../../src/spaces/index.ts';

const mlp = loadSearchSpace('mlp');

test('toVector: one slot per hyperparameter in [0, 1], NaN exactly for inactive ones', () => {
  const config = mlp.defaultConfiguration();
  const v = mlp.toVector(config);
  assert.equal(v.length, mlp.hyperparameters.length);
  mlp.hyperparameters.forEach((hp, i) => {
    if (hp.name in config) assert.ok(v[i] >= 0 && v[i] <= 1, `${hp.name} = ${v[i]}`);
    else assert.ok(Number.isNaN(v[i]), `${hp.name} should be NaN`);
  });
  const at = (name: string) => v[mlp.hyperparameters.findIndex((hp) => hp.name === name)];
  assert.ok(Math.abs(at('learning_rate') - 0.4) < 1e-12, 'log scale: 1e-3 is 2/5 of the way from 1e-5 to 1');
  assert.ok(Math.abs(at('n_layers') - 1 / 3) < 1e-12);
  assert.equal(at('optimizer'), 2 / 4);
  assert.equal(at('batch_norm'), 0);
});

test('fromVector(toVector(c)) and fromOneHotVector(toOneHotVector(c)) give c back', () => {
  for (const name of builtinSearchSpaceNames()) {
    const space = loadSearchSpace(name);
    const configs = [space.defaultConfiguration(), ...space.sampleRandom(new Random(17), 200), ...space.sampleSpaceFilling(64, 17)];
    for (const c of configs) {
      assert.deepEqual(space.fromVector(space.toVector(c)), c);
      assert.deepEqual(space.fromOneHotVector(space.toOneHotVector(c)), c);
    }
  }
});

test('toOneHotVector: categoricals one-hot, an activity slot per conditional hyperparameter, no NaN', () => {
  const labels = mlp.oneHotLabels();
  assert.deepEqual(labels.slice(0, 6), ['n_layers', 'units', 'activation=relu', 'activation=elu', 'activation=tanh', 'activation=gelu']);
  assert.ok(labels.includes('momentum:active') && labels.includes('lr_decay:active') && labels.includes('batch_norm=true'));
  const config = { ...mlp.defaultConfiguration(), optimizer: 'sgd-momentum', momentum: 0.5, activation: 'tanh' };
  const v = mlp.toOneHotVector(config);
  assert.equal(v.length, labels.length);
  assert.ok(v.every((x) => Number.isFinite(x) && x >= 0 && x <= 1));
  const slot = (label: string) => v[labels.indexOf(label)];
  assert.equal(slot('activation=tanh'), 1);
  assert.equal(slot('activation=relu'), 0);
  assert.equal(slot('momentum:active'), 1);
  assert.equal(slot('momentum'), 0);
  assert.equal(slot('lr_decay:active'), 0);
  assert.equal(slot('lr_decay'), 0);
});

test('fromVector clamps, rounds to legal values and ignores coordinates of inactive hyperparameters', () => {
  const v = mlp.toVector(mlp.defaultConfiguration());
  const index = (name: string) => mlp.hyperparameters.findIndex((hp) => hp.name === name);
  v[index('n_layers')] = 1.7;
  v[index('activation')] = 0.4;
  v[index('momentum')] = 0.3;
  const config = mlp.fromVector(v);
  assert.equal(config.n_layers, 4);
  assert.equal(config.activation, 'elu');
  assert.equal('momentum' in config, false);
  v[index('optimizer')] = 0.25;
  v[index('momentum')] = Number.NaN;
  assert.throws(() => mlp.fromVector(v), /'momentum' is active but its coordinate is NaN/);
  assert.throws(() => mlp.fromVector(new Float64Array(3)), /has 3 coordinates; expected 14/);
});

test('canonical JSON is stable under key order and float noise, and hashes are stable', () => {
  const config = { ...mlp.defaultConfiguration(), learning_rate: 0.003, dropout: 0.1 };
  const json = mlp.canonicalJson(config);
  const shuffled = Object.fromEntries(Object.entries(config).reverse());
  const noisy = { ...shuffled, learning_rate: 0.003 * (1 + 1e-13), dropout: 0.1 + 0.2 - 0.2 };
  assert.notEqual(noisy.dropout, 0.1);
  assert.equal(mlp.canonicalJson(noisy), json);
  assert.equal(mlp.configHash(noisy), mlp.configHash(config));
  assert.equal(
    json,
    '{"activation":"relu","batch_norm":false,"batch_size":64,"dropout":0.1,"l2":0.00001,"learning_rate":0.003,' +
      '"lr_schedule":"constant","max_epochs":50,"n_layers":2,"optimizer":"adam","patience":10,"units":64}',
  );
  assert.match(mlp.configHash(config), /^[0-9a-f]{16}$/);
  assert.equal(mlp.configHash(mlp.defaultConfiguration()), 'a87941a9f038a26e', 'hash of the mlp default must never change');
  assert.notEqual(mlp.configHash({ ...config, dropout: 0.1000001 }), mlp.configHash(config));
});

test('canonical JSON of a sample survives a JSON round trip unchanged', () => {
  for (const c of mlp.sampleRandom(new Random(4), 50)) {
    const json = mlp.canonicalJson(c);
    const parsed: unknown = JSON.parse(json);
    assert.equal(mlp.canonicalJson(mlp.validateConfiguration(parsed)), json);
  }
});

test('validateConfiguration says what was expected', () => {
  const d = mlp.defaultConfiguration();
  const cases: [unknown, RegExp][] = [
    [{ ...d, units: 2000 }, /'units' is 2000; expected an integer in \[16, 1024\] \(log scale\)/],
    [{ ...d, units: 64.5 }, /'units' is 64.5; expected an integer/],
    [{ ...d, activation: 'swish' }, /'activation' is "swish"; expected one of "relu", "elu", "tanh", "gelu"/],
    [{ ...d, batch_norm: 'true' }, /'batch_norm' is "true"; expected one of false, true/],
    [{ ...d, momentum: 0.9 }, /'momentum' must be absent: it is active only when optimizer = "sgd-momentum"/],
    [{ ...d, optimizer: 'sgd-momentum' }, /'momentum' is missing; expected a number in \[0.5, 0.99\]/],
    [{ ...d, depth: 3 }, /unknown hyperparameter 'depth'/],
    [[1, 2], /expected an object of hyperparameter values/],
  ];
  for (const [config, message] of cases) {
    assert.throws(() => mlp.validateConfiguration(config), (e: unknown) => e instanceof SearchSpaceError && message.test(e.message));
  }
  const space = parseSearchSpace({
    name: 'f',
    format_version: 1,
    hyperparameters: [{ name: 'a', type: 'categorical', choices: [1, 2] }],
    forbiddens: [{ type: 'equals', name: 'a', value: 2 }],
  });
  assert.throws(() => space.validateConfiguration({ a: 2 }), /matches forbiddens\[0\]/);
});

test('defaults of the shipped spaces are valid and canonical', () => {
  for (const name of builtinSearchSpaceNames()) {
    const space = loadSearchSpace(name);
    const d = space.defaultConfiguration();
    assert.deepEqual(space.validateConfiguration(d), d);
    assert.equal(space.isForbidden(d), false);
  }
});

test('canonical JSON refuses values JSON cannot hold', () => {
  assert.throws(() => canonicalJson({ a: Number.NaN }), /'a' is NaN; expected a finite number/);
  assert.throws(() => canonicalJson({ a: Number.POSITIVE_INFINITY }), SearchSpaceError);
  assert.equal(canonicalJson({ b: 1e-7, a: -0, c: 'x', d: true, e: 1 / 3 }), '{"a":0,"b":1e-7,"c":"x","d":true,"e":0.3333333333}');
});
