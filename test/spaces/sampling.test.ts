import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SearchSpaceError } from '../../src/errors.ts';
import { Random } from '../../src/random.ts';
import { loadSearchSpace, parseSearchSpace, type Configuration, type SearchSpace } from '../../src/spaces/index.ts';
import { centeredL2Discrepancy } from './discrepancy.ts';

/** The shipped mlp space plus forbiddens, so that every sampler has something to reject. */
function constrainedMlp(): SearchSpace {
  const mlp = loadSearchSpace('mlp');
  return parseSearchSpace({
    name: 'mlp-constrained',
    format_version: 1,
    hyperparameters: mlp.definition.hyperparameters.map((hp) => {
      const { defaultValue, ...rest } = hp;
      return { ...rest, default_value: defaultValue };
    }),
    conditions: [
      { child: 'momentum', type: 'equals', parent: 'optimizer', value: 'sgd-momentum' },
      {
        child: 'lr_decay',
        type: 'and',
        conditions: [
          { type: 'equals', parent: 'lr_schedule', value: 'exponential' },
          { type: 'greater_than', parent: 'max_epochs', value: 10 },
        ],
      },
    ],
    forbiddens: [
      { type: 'and', clauses: [{ type: 'equals', name: 'optimizer', value: 'sgd' }, { type: 'equals', name: 'batch_norm', value: true }] },
      { type: 'in', name: 'n_layers', values: [4] },
      { type: 'and', clauses: [{ type: 'equals', name: 'optimizer', value: 'sgd-momentum' }, { type: 'in', name: 'activation', values: ['tanh', 'gelu'] }] },
    ],
  });
}

type Sampler = (space: SearchSpace, n: number, seed: number) => Configuration[];

const SAMPLERS: Record<string, Sampler> = {
  random: (space, n, seed) => space.sampleRandom(new Random(seed), n),
  sobol: (space, n, seed) => space.sampleSpaceFilling(n, seed),
  lhs: (space, n, seed) => space.sampleSpaceFilling(n, seed, { design: 'lhs' }),
};

for (const [name, sample] of Object.entries(SAMPLERS)) {
  test(`${name}: every sample respects conditions and forbiddens`, () => {
    const space = constrainedMlp();
    const configs = sample(space, 300, 5);
    assert.equal(configs.length, 300);
    for (const c of configs) {
      assert.deepEqual(space.validateConfiguration(c), c);
      assert.equal('momentum' in c, c.optimizer === 'sgd-momentum');
      assert.equal('lr_decay' in c, c.lr_schedule === 'exponential' && Number(c.max_epochs) > 10);
      assert.ok(!(c.optimizer === 'sgd' && c.batch_norm === true));
      assert.notEqual(c.n_layers, 4);
      assert.ok(!(c.optimizer === 'sgd-momentum' && (c.activation === 'tanh' || c.activation === 'gelu')));
    }
    const layers = new Set(configs.map((c) => c.n_layers));
    assert.deepEqual([...layers].sort(), [1, 2, 3]);
    assert.ok(configs.some((c) => 'momentum' in c) && configs.some((c) => 'lr_decay' in c));
  });

  test(`${name}: reproducible under a seed, different across seeds`, () => {
    const space = loadSearchSpace('mlp');
    const a = sample(space, 20, 42);
    assert.deepEqual(sample(space, 20, 42), a);
    assert.notDeepEqual(sample(space, 20, 43), a);
  });
}

/** Counts how many of `bins` equal slices of [0, 1] the values fill. */
function filledSlices(values: readonly number[], bins: number): number {
  return new Set(values.map((v) => Math.min(bins - 1, Math.floor(v * bins)))).size;
}

test('space-filling designs stratify every 1-D projection; random draws do not', () => {
  const space = loadSearchSpace('mlp');
  const n = 64;
  const seeds = [1, 2, 3];
  for (const seed of seeds) {
    for (const configs of [space.sampleSpaceFilling(n, seed), space.sampleSpaceFilling(n, seed, { design: 'lhs' })]) {
      const dropout = configs.map((c) => Number(c.dropout) / 0.6);
      const l2 = configs.map((c) => Math.log(Number(c.l2) / 1e-7) / Math.log(0.1 / 1e-7));
      assert.equal(filledSlices(dropout, n), n);
      assert.equal(filledSlices(l2, n), n);
      for (const activation of ['relu', 'elu', 'tanh', 'gelu']) {
        assert.equal(configs.filter((c) => c.activation === activation).length, n / 4);
      }
    }
  }
  const random = space.sampleRandom(new Random(1), n).map((c) => Number(c.dropout) / 0.6);
  assert.ok(filledSlices(random, n) < n - 10, `random filled ${filledSlices(random, n)} of ${n}`);
});

test('Sobol configurations are more uniform than random ones (centered L2 discrepancy)', () => {
  const space = loadSearchSpace('mlp');
  const always = space.hyperparameters.flatMap((hp, i) =>
    space.conditionOn(hp.name) === undefined && hp.type === 'uniform_float' ? [i] : [],
  );
  assert.deepEqual(always.length, 3);
  const project = (configs: Configuration[]) => configs.map((c) => {
    const v = space.toVector(c);
    return always.map((i) => v[i]);
  });
  let sobol = 0;
  let random = 0;
  for (const seed of [1, 2, 3, 4]) {
    sobol += centeredL2Discrepancy(project(space.sampleSpaceFilling(128, seed)));
    random += centeredL2Discrepancy(project(space.sampleRandom(new Random(seed), 128)));
  }
  assert.ok(sobol < 0.6 * random, `Sobol ${sobol / 4} vs random ${random / 4}`);
});

test('a space whose forbiddens reject almost everything fails with a clear error', () => {
  const blocked = Array.from({ length: 3000 }, (_, i) => i + 2);
  const space = parseSearchSpace({
    name: 'narrow',
    format_version: 1,
    hyperparameters: [{ name: 'k', type: 'uniform_int', lower: 1, upper: 3001, default_value: 1 }],
    forbiddens: [{ type: 'in', name: 'k', values: blocked }],
  });
  assert.throws(() => space.sampleRandom(new Random(1), 5), (e: unknown) => e instanceof SearchSpaceError && /outside the forbiddens/.test(e.message));
  assert.deepEqual(space.sampleRandom(new Random(1), 0), []);
});

test('integers and choices get equal shares, also on a log scale', () => {
  const space = parseSearchSpace({
    name: 'shares',
    format_version: 1,
    hyperparameters: [
      { name: 'k', type: 'uniform_int', lower: 1, upper: 4 },
      { name: 'w', type: 'uniform_int', lower: 1, upper: 8, log: true },
      { name: 'c', type: 'constant', value: 'x' },
    ],
  });
  const configs = space.sampleSpaceFilling(1024, 9);
  for (let k = 1; k <= 4; k++) assert.equal(configs.filter((c) => c.k === k).length, 256);
  const count = (w: number) => configs.filter((c) => c.w === w).length;
  assert.ok(count(1) > count(2) && count(2) > count(4) && count(4) > count(8), 'log scale favours small values');
  assert.ok(configs.every((c) => c.c === 'x'));
});

test('skip continues a Sobol design drawn earlier with the same seed', () => {
  const space = constrainedMlp();
  const all = space.sampleSpaceFilling(48, 8);
  assert.deepEqual(space.sampleSpaceFilling(16, 8), all.slice(0, 16));
  assert.deepEqual(space.sampleSpaceFilling(32, 8, { skip: 16 }), all.slice(16));
  assert.throws(() => space.sampleSpaceFilling(8, 8, { design: 'lhs', skip: 8 }), /skip needs the sobol design/);
});
